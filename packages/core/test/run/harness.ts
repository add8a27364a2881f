import * as assert from 'node:assert/strict';
import type {
  Effect,
  LoggedEvent,
  Pipeline,
  RunEvent,
  RunSelection,
  RunState,
  StageSpec,
  TransitionResult,
} from '../../src/index';
import { createRun, transition } from '../../src/index';

/** A stage declaration with test defaults (one attempt, no timers). */
export function stageSpec(id: string, over: Partial<StageSpec> = {}): StageSpec {
  return {
    id,
    run: `echo ${id}`,
    env: {},
    needs: [],
    retry: { attempts: 1, backoffMs: 1000, factor: 2, maxBackoffMs: 60_000, jitter: 0 },
    outputs: [],
    watch: [],
    deps: [],
    cache: true,
    continueOnError: false,
    ...over,
  };
}

/** A pipeline of the given stages with test defaults. */
export function pipelineOf(stages: StageSpec[], over: Partial<Pipeline> = {}): Pipeline {
  return {
    id: 'test',
    file: 'test.pipeline.yaml',
    name: 'Test',
    inputs: [],
    env: {},
    secretEnv: [],
    stages,
    ...over,
  };
}

type WithoutAt<E> = E extends RunEvent ? Omit<E, 'at'> & { at?: number } : never;
/** An event whose time the driver fills in from its simulated clock. */
export type DriverEvent = WithoutAt<RunEvent>;

/** Options for a test run. */
export interface DriverOptions {
  readonly interactive?: boolean;
  readonly inputs?: Record<string, string | number | boolean | string[]>;
  readonly defaultConcurrency?: number;
  readonly selection?: RunSelection;
}

/**
 * Drives a run through `transition` with a simulated clock, keeping the
 * event log (accepted events only) and the effects of the last event.
 */
export class RunDriver {
  readonly initial: RunState;
  state: RunState;
  now = 1_000_000;
  readonly log: LoggedEvent[] = [];
  effects: readonly Effect[] = [];
  readonly allEffects: Effect[] = [];

  constructor(pipeline: Pipeline, options: DriverOptions = {}) {
    this.initial = createRun({
      runId: 'run-1',
      pipeline,
      inputs: options.inputs ?? {},
      at: this.now,
      interactive: options.interactive ?? true,
      defaultConcurrency: options.defaultConcurrency ?? 4,
      ...(options.selection === undefined ? {} : { selection: options.selection }),
    });
    this.state = this.initial;
  }

  /** Applies an event; returns the raw result whether accepted or not. */
  try(event: DriverEvent): TransitionResult {
    const full = { ...event, at: event.at ?? this.now } as RunEvent;
    const result = transition(this.state, full);
    if (result.rejected === undefined) {
      assert.equal(result.state.seq, this.state.seq + 1, 'an accepted event advances seq by one');
      this.log.push({ ...full, seq: result.state.seq });
      this.state = result.state;
      this.effects = result.effects;
      this.allEffects.push(...result.effects);
    } else {
      assert.equal(result.state, this.state, 'a rejected event leaves the state as it was');
      assert.deepEqual(result.effects, [], 'a rejected event has no effects');
    }
    return result;
  }

  /** Applies an event that must be accepted; returns its effects. */
  send(event: DriverEvent): readonly Effect[] {
    const result = this.try(event);
    assert.equal(result.rejected, undefined, `${event.type} was rejected: ${result.rejected}`);
    return result.effects;
  }

  /** Applies an event that must be rejected; returns the reason. */
  reject(event: DriverEvent): string {
    const result = this.try(event);
    assert.ok(result.rejected !== undefined, `${event.type} should have been rejected`);
    return result.rejected;
  }

  /** Moves the simulated clock forward. */
  advance(ms: number): void {
    this.now += ms;
  }

  start(): readonly Effect[] {
    return this.send({ type: 'runStarted' });
  }

  /** Ends the live attempt of a stage. */
  exit(
    stage: string,
    exitCode = 0,
    extra: Partial<Extract<RunEvent, { type: 'stageExited' }>> = {},
  ) {
    const attempt = this.stage(stage).attempt;
    return this.send({ type: 'stageExited', stage, attempt, exitCode, random: 0.5, ...extra });
  }

  stage(id: string) {
    const stage = this.state.stages[id];
    assert.ok(stage !== undefined, `no stage ${id}`);
    return stage;
  }

  status(id: string): string {
    return this.stage(id).status;
  }
}

/** Effects of one type from a list. */
export function effectsOf<T extends Effect['type']>(
  effects: readonly Effect[],
  type: T,
): Extract<Effect, { type: T }>[] {
  return effects.filter((e): e is Extract<Effect, { type: T }> => e.type === type);
}

/** Ids of stages a list of effects spawns, in order. */
export function spawned(effects: readonly Effect[]): string[] {
  return effectsOf(effects, 'spawnStage').map((e) => e.stage);
}
