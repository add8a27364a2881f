import type { SpawnStageOptions, StageProcess } from '../process/spawnStage';
import type { ExecutedStage, StageAttach, StageExecutor, StageLaunch } from './stageExecutor';

/**
 * The local executor: each attempt is a child process of the engine, started
 * by `spawn` (`spawnStage`, or a test's stand-in). It hands the process back
 * as it is, so a local stage costs what it cost before the seam existed.
 * Local attempts end with their engine, so there is nothing to re-attach to.
 */
export function createLocalExecutor(
  spawn: (options: SpawnStageOptions) => StageProcess,
): StageExecutor {
  return {
    type: 'local',
    // The launch's extra fields (run, stage, files) mean nothing to spawn; it ignores them.
    launch: (launch: StageLaunch): ExecutedStage => spawn(launch),
    attach: (attach: StageAttach): ExecutedStage => notAttachable(attach),
    close: async () => undefined,
  };
}

/** An attempt that cannot be followed: it exits at once with an error saying why. */
export function notAttachable(attach: StageAttach, why?: string): ExecutedStage {
  const error =
    why ??
    `cannot re-attach to ${attach.handle.executor} attempt ${attach.handle.id}: its executor does not keep attempts apart from their engine`;
  const exited = Promise.resolve({ error });
  return {
    pid: undefined,
    startTime: undefined,
    processToken: '',
    handle: attach.handle,
    onStdout: () => undefined,
    onStderr: () => undefined,
    writeStdin: async () => false,
    closeStdin: () => undefined,
    pauseOutput: () => undefined,
    resumeOutput: () => undefined,
    start: () => undefined,
    inputWaitState: () => 'unknown',
    stdinReader: () => undefined,
    exited,
    kill: async () => ({ escalated: false, survivors: [] }),
  };
}
