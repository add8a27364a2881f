import type { AnswerValue } from '../pipeline/model';
import { isLiveStageStatus } from './machines';
import { emptyCounts } from './statusCounts';
import type {
  ExecutorCondition,
  Progress,
  PromptState,
  RunState,
  RunStatus,
  StageState,
  StageStatus,
} from './state';

/** One stage as a display shows it. */
export interface StageSnapshot {
  readonly id: string;
  readonly status: StageStatus;
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly progress?: Progress;
  readonly startedAt?: number;
  readonly endedAt?: number;
  /** Of the current or last attempt; up to `now` while it runs. */
  readonly durationMs?: number;
  readonly retryAt?: number;
  readonly exitCode?: number;
  readonly reason?: string;
  /** Where the current or last attempt runs when not locally (`queue gpu`). */
  readonly where?: string;
  /** What holds the running remote attempt up (no worker, executor unreachable). */
  readonly executorCondition?: ExecutorCondition;
  readonly needs: readonly string[];
}

/** A run as a display shows it (tree view, status bar, `baton status`). */
export interface RunSnapshot {
  readonly runId: string;
  readonly pipelineId: string;
  readonly pipelineName: string;
  /** The run's number among its pipeline's runs, when it has one. */
  readonly number?: number;
  readonly status: RunStatus;
  readonly reason?: string;
  readonly seq: number;
  readonly createdAt: number;
  readonly startedAt?: number;
  readonly endedAt?: number;
  readonly durationMs?: number;
  readonly interactive: boolean;
  readonly concurrency: number;
  /** Input values so far; secret ones are masked. */
  readonly inputs: Readonly<Record<string, AnswerValue>>;
  /** Stages in declaration order. */
  readonly stages: readonly StageSnapshot[];
  /** Open prompts, oldest first. */
  readonly prompts: readonly PromptState[];
  /** 0..100: succeeded stages count whole, live ones by their reported progress; 100 only for a run that succeeded. */
  readonly percent: number;
  readonly counts: Readonly<Record<StageStatus, number>>;
}

/** How secret values appear in snapshots. */
export const SECRET_MASK = '••••••';

/**
 * The fraction (0..1) of a stage that is done, as far as the run can tell.
 * Done means succeeded: a stage that failed, was cancelled or skipped (not
 * run) did not do its work, so a run that failed never reads 100%.
 */
function stageFraction(stage: StageState): number {
  if (stage.status === 'succeeded') return 1;
  // Any other final stage is not live either.
  if (!isLiveStageStatus(stage.status) || stage.progress === undefined) return 0;
  const { percent, value, total } = stage.progress;
  let fraction = 0;
  if (percent !== undefined) {
    fraction = percent / 100;
  } else if (value !== undefined && total !== undefined) {
    // Stryker disable next-line EqualityOperator: `total >= 0` differs only at 0, where `value / 0` is not finite and counts as 0 below.
    fraction = total > 0 ? value / total : 0;
  }
  return Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
}

/**
 * How long a run ran up to `now`: its earlier goes plus the current one. The
 * time it sat failed or interrupted before a resume is not run time, so a run
 * that failed after 1 s, waited 9 minutes and was resumed for 1 s ran 2 s.
 * (Clients compute the same from the wire: docs/protocol.md.)
 */
export function runRanMs(
  state: Pick<RunState, 'startedAt' | 'endedAt' | 'resumedAt' | 'earlierRanMs'>,
  now: number,
): number {
  const goStart = state.resumedAt ?? state.startedAt;
  if (goStart === undefined) return 0;
  return (state.earlierRanMs ?? 0) + Math.max(0, (state.endedAt ?? now) - goStart);
}

function durationOf(startedAt: number | undefined, endedAt: number | undefined, now: number) {
  if (startedAt === undefined) return {};
  return { durationMs: Math.max(0, (endedAt ?? now) - startedAt) };
}

function stageSnapshot(stage: StageState, needs: readonly string[], now: number) {
  const { id, status, attempt, maxAttempts } = stage;
  const snap: StageSnapshot = {
    id,
    status,
    attempt,
    maxAttempts,
    needs,
    ...(stage.progress === undefined ? {} : { progress: stage.progress }),
    ...(stage.startedAt === undefined ? {} : { startedAt: stage.startedAt }),
    ...(stage.endedAt === undefined ? {} : { endedAt: stage.endedAt }),
    ...durationOf(
      stage.startedAt,
      isLiveStageStatus(status) ? undefined : (stage.endedAt ?? now),
      now,
    ),
    ...(stage.retryAt === undefined ? {} : { retryAt: stage.retryAt }),
    ...(stage.exitCode === undefined ? {} : { exitCode: stage.exitCode }),
    ...(stage.reason === undefined ? {} : { reason: stage.reason }),
    ...(stage.handle?.where === undefined ? {} : { where: stage.handle.where }),
    ...(stage.executorCondition === undefined
      ? {}
      : { executorCondition: stage.executorCondition }),
  };
  return snap;
}

/** A run's inputs as displays show them: secret inputs' values replaced by the mask. */
export function maskedInputs(state: RunState): Record<string, AnswerValue> {
  const shown: Record<string, AnswerValue> = {};
  for (const spec of state.pipeline.inputs) {
    const value = state.inputs[spec.id];
    if (value !== undefined) shown[spec.id] = spec.secret === true ? SECRET_MASK : value;
  }
  return shown;
}

/**
 * A display view of a run at time `now` (the shell's clock): per-stage status,
 * attempts, progress, timings and reasons, open prompts, counts by status and
 * an overall percentage.
 */
export function snapshot(state: RunState, now: number): RunSnapshot {
  const counts = emptyCounts();
  let done = 0;
  const stages = state.pipeline.stages.flatMap((spec) => {
    const stage = state.stages[spec.id];
    if (stage === undefined) return [];
    counts[stage.status] += 1;
    done += stageFraction(stage);
    return [stageSnapshot(stage, spec.needs, now)];
  });
  const finished = state.status === 'succeeded';
  const share = stages.length === 0 ? (finished ? 100 : 0) : (100 * done) / stages.length;
  // Only a run that succeeded is whole; one that stopped short never shows 100%.
  const percent = finished ? share : Math.min(99, share);
  return {
    runId: state.runId,
    pipelineId: state.pipeline.id,
    pipelineName: state.pipeline.name,
    ...(state.number === undefined ? {} : { number: state.number }),
    status: state.status,
    ...(state.reason === undefined ? {} : { reason: state.reason }),
    seq: state.seq,
    createdAt: state.createdAt,
    ...(state.startedAt === undefined ? {} : { startedAt: state.startedAt }),
    ...(state.endedAt === undefined ? {} : { endedAt: state.endedAt }),
    // A stopped run has its `endedAt`, which `runRanMs` takes instead of `now`.
    ...(state.startedAt === undefined ? {} : { durationMs: runRanMs(state, now) }),
    interactive: state.interactive,
    concurrency: state.concurrency,
    inputs: maskedInputs(state),
    stages,
    prompts: Object.values(state.prompts).sort((a, b) => a.openedAt - b.openedAt),
    percent: Math.round(percent * 10) / 10,
    counts,
  };
}
