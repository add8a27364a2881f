import type { StageHandle } from '@baton/core';
import type { ExecutedStage, StageExecutor, StageLaunch } from '../../executor/stageExecutor';
import type { LogWriter } from '../../store/logWriter';
import type { TypedEmitter } from '../typedEmitter';
import type { EngineEvents } from '../engineEvents';
import type { AttemptFiles } from './attemptFiles';
import { prepareAttachedLog } from './attemptFiles';

/** An attempt being followed: its process, its prepared files, and its opened gate. */
export interface FollowedAttempt {
  readonly process: ExecutedStage | Promise<ExecutedStage>;
  /** Resolves to why the attempt's files could not be made, or undefined. */
  readonly prepared: Promise<string | undefined>;
  /** Resolves to the function that stops watching the stage's files. */
  readonly gateOpened: Promise<() => Promise<void>>;
}

/** What re-attaching needs to know of the attempt. */
export interface AttachTarget {
  readonly runId: string;
  readonly effect: { readonly stage: string; readonly attempt: number };
  readonly handle: StageHandle;
  readonly files: AttemptFiles;
  readonly executor: StageExecutor;
  readonly emitter: TypedEmitter<EngineEvents>;
  /** The attempt's launch, built again, for an executor that never received it (see `StageAttach.relaunch`). */
  readonly relaunch?: StageLaunch;
}

/**
 * Re-attaches to the attempt a killed engine left running: its log is opened
 * for appending (not made anew) and handed to `onLog`, and the executor
 * resumes the output after the bytes the log already holds, so no line shows
 * twice or goes missing. Nothing is started, so there is no gate to open.
 */
export function attachToAttempt(
  target: AttachTarget,
  onLog: (log: LogWriter) => void,
): FollowedAttempt {
  const { runId, effect, files, executor } = target;
  const prepared = prepareAttachedLog(files.logFile, (error) =>
    target.emitter.emit('problem', { runId, message: error.message }),
  );
  const process = prepared.then(({ log, size }) => {
    onLog(log);
    return executor.attach({
      runId,
      stage: effect.stage,
      attempt: effect.attempt,
      files,
      handle: target.handle,
      outputOffset: size,
      ...(target.relaunch === undefined ? {} : { relaunch: target.relaunch }),
    });
  });
  return {
    process,
    prepared: prepared.then(
      () => undefined,
      (error: unknown) => `could not open the stage's log: ${String(error)}`,
    ),
    gateOpened: Promise.resolve(async () => undefined),
  };
}
