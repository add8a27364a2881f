/**
 * Stage processes: starting a stage in its own process group, ending its whole
 * tree (escapees included), and reading `/proc` for liveness and hang diagnosis.
 */
export { spawnStage, PROCESS_TOKEN_VARIABLE } from './spawnStage';
export type { SpawnStageOptions, StageExit, StageProcess } from './spawnStage';
export type { KillResult } from './treeKiller';
export type { InputWaitState } from './inputWait';
export {
  descendantsOf,
  groupMembers,
  isProcessAlive,
  listProcesses,
  processStartTime,
  processTreeSnapshot,
  processesWithEnvironmentEntry,
  readProcess,
} from './processTree';
export type { ProcessInfo, ProcessSnapshotEntry } from './processTree';
