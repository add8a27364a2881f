/**
 * The seam between the engine and where a stage's processes run. The engine
 * (one `StageAttempt` per attempt) asks an executor to launch an attempt, or
 * to re-attach to one a resumed run left running, and drives what comes back
 * exactly as it drives a local child process: output chunks, stdin answers,
 * kill, exit. The local executor is `spawnStage` itself; the BullMQ executor
 * runs the same `spawnStage` on a `baton worker` and carries the same
 * operations over Redis. Another engine (Slurm through sbatch/squeue/scancel,
 * say) is one more implementation of this interface (see docs/executors.md).
 */
import type { ExecutorCondition, ExecutorSpec, Progress, StageHandle } from '@baton/core';
import type { SpawnStageOptions, StageProcess } from '../process/spawnStage';

/**
 * The engine's files of one attempt that a remote executor fills with what
 * the stage left on its worker (`$BATON_OUTPUT`, `$GITHUB_ENV`, …) before it
 * reports the exit, so the engine reads results the same way for every executor.
 */
export interface ResultFiles {
  readonly outputFile: string;
  readonly envFile: string;
  readonly pathFile: string;
  readonly summaryFile: string;
  readonly savedStateFile: string;
  readonly stateDir: string;
  readonly logFile: string;
  readonly runDir?: string;
}

/**
 * What Baton puts on top of the engine's own environment for an attempt
 * (see `stageEnvLayers`): the stage's `env` in a launch is these on that
 * environment. A remote executor sends these, not the engine's environment.
 */
export interface StageEnvLayers {
  readonly env: Readonly<Record<string, string>>;
  /** Directories to put in front of `PATH`, in order (a venv's `bin`, `$GITHUB_PATH`'s). */
  readonly pathFront: readonly string[];
}

/** What to launch: the spawn options of the attempt, and which attempt it is. */
export interface StageLaunch extends SpawnStageOptions {
  readonly runId: string;
  readonly stage: string;
  readonly attempt: number;
  readonly files: ResultFiles;
  /** The queue of a remote executor (`executor: { queue }`). */
  readonly queue?: string;
  /**
   * Variables of `env` whose values are secret: a remote executor sends their
   * names, never their values (its worker takes them from its own environment).
   */
  readonly secretNames?: readonly string[];
  /** Baton's layers of `env`, for an executor whose stage runs on another machine's environment. */
  readonly envLayers?: StageEnvLayers;
  /**
   * The stage's `watch:` globs, for an executor that tails them where the
   * stage runs (see `ExecutedStage.onWatch`); the local executor leaves them
   * to the engine.
   */
  readonly watch?: readonly string[];
}

/** Which attempt to re-attach to, and from where in its output. */
export interface StageAttach {
  readonly runId: string;
  readonly stage: string;
  readonly attempt: number;
  readonly files: ResultFiles;
  /** The handle `stageStarted` recorded for the attempt. */
  readonly handle: StageHandle;
  /** Bytes of the attempt's output the log already holds: output resumes after them. */
  readonly outputOffset: number;
  /**
   * The attempt's launch as it was (the core builds it again from the same
   * state): an executor that finds the attempt never reached it (the engine
   * died after recording the handle, before handing the attempt over) hands
   * it over now under the same handle, so it runs exactly once.
   */
  readonly relaunch?: StageLaunch;
}

/**
 * A launched or re-attached attempt. Everything of `StageProcess` holds; a
 * remote attempt has no local `pid` (and `inputWaitState` answers `unknown`
 * unless the executor reports it), and names itself by its `handle`.
 */
export interface ExecutedStage extends StageProcess {
  /**
   * Known at once, before the attempt can run anywhere, so `stageStarted`
   * records it write-ahead; undefined for a local attempt (its pid says it all).
   */
  readonly handle?: StageHandle;
  /** Tells `callback` where the attempt runs once a worker took it ("worker w2 on host gpu-1"); remote only. */
  onClaimed?(callback: (where: string) => void): void;
  /**
   * Tells `callback` what holds the attempt up each time that changes (no
   * worker on its queue, the executor unreachable), and `undefined` once
   * nothing does; remote only.
   */
  onCondition?(callback: (condition: ExecutorCondition | undefined) => void): void;
  /**
   * Present when the executor tails the stage's `watch:` files where the
   * stage runs (a worker's disk): it hands over their log text and progress,
   * and the engine tails nothing itself; remote only.
   */
  onWatch?(onText: (text: string) => void, onProgress: (progress: Progress) => void): void;
  /**
   * Whether the process blocked on the stage's stdin is a shell reading with
   * `read -s`, as the executor found where the stage runs (the shell's script
   * is there); present when `stdinReader` cannot name a local pid. Remote only.
   */
  stdinReadIsSilent?(): boolean;
  /**
   * Told once the attempt's end is in the run's event log, so no resume will
   * re-attach to it: a remote executor lets go of what it kept in case one
   * would (the job's taken marker). Remote only.
   */
  endRecorded?(): void;
}

/** Runs stage attempts somewhere: locally, or through a queue on other machines. */
export interface StageExecutor {
  /** The executor's type, as `executor:` names it. */
  readonly type: ExecutorSpec['type'];
  /**
   * Launches an attempt. With `gated`, nothing of the stage runs until
   * `start()`; for a remote executor that is when the job is added, so the
   * handle is in the event log first. Never throws: failures come through `exited`.
   */
  launch(launch: StageLaunch): ExecutedStage;
  /**
   * Re-attaches to an attempt a killed engine left running (its handle is
   * detached): output after `outputOffset`, then its exit; or, when it is
   * lost, an exit with an `error` that says so. Never throws.
   */
  attach(attach: StageAttach): ExecutedStage;
  /**
   * Takes up what earlier orchestrators of this state directory (`runsDir`
   * is its `runs` folder) left for this executor to finish: the bullmq one
   * starts a courier again for every kept stop whose courier died. Returns
   * how many it took up. Optional: the local executor leaves nothing behind.
   */
  pickUpLeftovers?(runsDir: string): Promise<number>;
  /** Lets go of connections and timers once no run uses the executor any more. */
  close(): Promise<void>;
}

/** The executors of one engine, chosen per stage from its `executor:`. */
export interface ExecutorSet {
  /** The executor a stage runs on (the local one when `spec` is undefined). */
  forStage(spec: ExecutorSpec | undefined): StageExecutor;
  /** The executor that recorded a handle, for re-attaching; undefined when it is not configured. */
  forHandle(handle: StageHandle): StageExecutor | undefined;
  /** Every executor's `pickUpLeftovers`; how many things they took up in all. */
  pickUpLeftovers(runsDir: string): Promise<number>;
  close(): Promise<void>;
}
