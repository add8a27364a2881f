import type {
  BatonEvent,
  DidChangeRunParams,
  PromptInfo,
  RunSnapshot,
  RunSummary,
  StageSnapshot,
  WirePipeline,
} from '@baton/protocol';

/** Test data builders: valid wire objects with overridable fields. */
export function summary(overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    runId: 'r1',
    pipeline: 'build',
    pipelineName: 'Build',
    file: '/ws/build.pipeline.yaml',
    status: 'running',
    createdAt: 1000,
    startedAt: 1000,
    stageCounts: {},
    openPrompts: 0,
    local: true,
    ...overrides,
  };
}

/** A stage snapshot. */
export function stage(id: string, overrides: Partial<StageSnapshot> = {}): StageSnapshot {
  return {
    id,
    status: 'pending',
    needs: [],
    attempt: 0,
    maxAttempts: 1,
    outputs: {},
    ...overrides,
  };
}

/** An open prompt. */
export function prompt(overrides: Partial<PromptInfo> = {}): PromptInfo {
  return {
    runId: 'r1',
    promptId: 'p1',
    stage: 'deploy',
    message: 'Overwrite the results?',
    type: 'confirm',
    default: false,
    openedAt: 2000,
    ...overrides,
  };
}

/** A full run snapshot. */
export function snapshot(overrides: Partial<RunSnapshot> = {}): RunSnapshot {
  return {
    ...summary(),
    seq: 10,
    interactive: true,
    concurrency: 2,
    inputs: {},
    stages: [
      stage('compile', { status: 'succeeded', attempt: 1 }),
      stage('test', { status: 'running', attempt: 1 }),
    ],
    prompts: [],
    recentEvents: [],
    ...overrides,
  };
}

/** A valid pipeline. */
export function pipeline(overrides: Partial<WirePipeline> = {}): WirePipeline {
  return {
    id: 'build',
    file: '/ws/build.pipeline.yaml',
    name: 'Build',
    valid: true,
    stages: [
      { id: 'compile', needs: [] },
      { id: 'test', needs: ['compile'] },
    ],
    inputs: [],
    diagnostics: [],
    ...overrides,
  };
}

type EventBody = BatonEvent extends infer E
  ? E extends BatonEvent
    ? Omit<E, 'seq' | 'runId' | 'time'>
    : never
  : never;

/** A feed event of run `r1`. */
export function event(seq: number, body: EventBody, runId = 'r1'): BatonEvent {
  return { seq, runId, time: 1000 + seq, ...body } as BatonEvent;
}

/** A `didChangeRun` carrying `events` (its `seq` is the last one's); `run` as the server would send it. */
export function runChange(
  events: readonly BatonEvent[],
  run: RunSummary = summary({ runId: events[0]?.runId ?? 'r1' }),
): DidChangeRunParams {
  return { seq: events.at(-1)?.seq ?? 0, events, run, stages: [] };
}

/** A `stageStatusChanged` body with the attempt budget every such event carries. */
export function stageStatus(
  stageId: string,
  status: StageSnapshot['status'],
  attempt = 1,
  more: { exitCode?: number; reason?: string } = {},
): EventBody {
  return { kind: 'stageStatusChanged', stage: stageId, attempt, status, maxAttempts: 1, ...more };
}
