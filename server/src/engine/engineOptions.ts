import type { Clock } from './clock';
import type { SessionServices } from './run/runSession';
import type { AttemptSettings } from './attempt/attemptDeps';
import type { StageExecutor } from '../executor/stageExecutor';

/** How an engine is set up; everything but `stateDir` has a default. */
export interface EngineOptions {
  /** The state directory (`.baton`): runs, logs, locks. */
  readonly stateDir: string;
  readonly clock?: Clock;
  /** Environment every stage starts from (default `process.env`), as it is when a run starts or resumes. */
  readonly baseEnv?: Readonly<Record<string, string | undefined>>;
  readonly settings?: Partial<AttemptSettings>;
  /** Concurrency of pipelines that set none (default: the number of CPUs). */
  readonly defaultConcurrency?: number;
  /**
   * Remote executors stages may name in `executor:` (the BullMQ one once a
   * Redis connection is given); the local executor is always there.
   */
  readonly executors?: readonly StageExecutor[];
  /**
   * The build whose parsed pipelines may be reused (`ParsedPipelines`);
   * default: the bundle's own id, none (no reuse) outside a bundle. Tests set it.
   */
  readonly buildId?: string;
  /** Replaces parts of how stages are run (tests). */
  readonly services?: Partial<Pick<SessionServices, 'spawn' | 'readOutputs' | 'startWatching'>>;
}

/** The defaults of `AttemptSettings`. */
export const DEFAULT_ATTEMPT_SETTINGS: AttemptSettings = {
  bareInputSilenceMs: 1000,
  killGraceMs: 5000,
  progressIntervalMs: 200,
};
