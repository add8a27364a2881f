/** What a stage attempt needs from the engine, and its tunables. */
import { inputEnvName } from '@baton/core';
import type { Progress, RunState, StageExports, StageSpec } from '@baton/core';
import type { StageExecutor } from '../../executor/stageExecutor';
import type { Clock } from '../clock';
import type { EngineEvents } from '../engineEvents';
import type { Masker } from '../../output/masker';
import type { RunController, AttemptEffect } from '../run/runController';
import type { TypedEmitter } from '../typedEmitter';
import type { AttemptFiles } from './attemptFiles';
import type { StageWatch } from './watchFiles';
import type { StageDebugRuntime } from '../debug/debugLaunch';

/** Tunables of stage attempts. */
export interface AttemptSettings {
  /** Silence after an unfinished stdout line before it counts as a question. */
  readonly bareInputSilenceMs: number;
  /** Time between SIGTERM and SIGKILL when a stage is killed. */
  readonly killGraceMs: number;
  /** Least time between two progress events of one attempt. */
  readonly progressIntervalMs: number;
}

/** Everything an attempt needs from the engine. */
export interface AttemptDeps {
  readonly controller: RunController;
  /** `spawnStage` launches a new attempt; `attachStage` follows one a resumed run left running. */
  readonly effect: AttemptEffect;
  readonly spec: StageSpec;
  readonly files: AttemptFiles;
  /** Directory of the pipeline file; the stage's `cwd` is relative to it. */
  readonly pipelineDir: string;
  readonly clock: Clock;
  readonly masker: Masker;
  readonly emitter: TypedEmitter<EngineEvents>;
  readonly baseEnv: Readonly<Record<string, string | undefined>>;
  readonly settings: AttemptSettings;
  /** Set when this attempt runs under a debugger ("Debug Stage"): its command's runtime. */
  readonly debug?: StageDebugRuntime;
  /** Where the attempt runs (see `StageExecutor`). */
  readonly executor: StageExecutor;
  readonly readOutputs: (file: string) => Promise<Record<string, string>>;
  /**
   * Resolves once every event dispatched so far was handed to the OS; rejects
   * when the event log cannot be written. The stage's command waits for it.
   */
  readonly recorded: () => Promise<void>;
  /** The digest of what a succeeded attempt handed on (see `StageState.digest`). */
  readonly digest: (
    outputs: Readonly<Record<string, string>>,
    exported: StageExports | undefined,
  ) => Promise<string>;
  /** Starts tailing the stage's `watch:` files. */
  readonly startWatching: (
    cwd: string,
    onText: (text: string) => void,
    onProgress: (p: Progress) => void,
  ) => StageWatch;
}

/** The variables whose values are secret: the pipeline's `secrets:` and its secret inputs. */
export function secretNamesOf(state: RunState): string[] {
  const { pipeline } = state;
  const inputs = pipeline.inputs.filter((spec) => spec.secret === true);
  return [...pipeline.secretEnv, ...inputs.map((spec) => inputEnvName(spec.id))];
}
