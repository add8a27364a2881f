/**
 * @baton/core: the pure orchestrator. No I/O, no timers, no Node built-ins:
 * time, ids and randomness come in as inputs.
 */
export type * from './pipeline/model';
export type * from './pipeline/sourceNode';
export type * from './run/state';
export type * from './run/events';
export type * from './run/effects';
export * from './run/machines';
export * from './run/answers';
export * from './run/questionConventions';
export * from './run/inputs';
export * from './run/createRun';
export * from './run/transition';
export { changedStageIds, plainState, stageChunks, withStages } from './run/stageTable';
export type { StageChunks } from './run/stageTable';
export { stageStatusCounts } from './run/statusCounts';
export { pipelineIndex } from './run/pipelineIndex';
export type { PipelineIndex } from './run/pipelineIndex';
export { changedInputsOf } from './run/changedInputs';
export * from './run/retry';
export * from './run/timers';
export * from './run/resume';
export * from './run/replay';
export * from './run/snapshot';
export type * from './incremental/fingerprintParts';
export { describeChanges } from './incremental/fingerprintParts';
export * from './incremental/unitDecision';
export * from './incremental/runSelection';
export * from './incremental/unitNames';
export { inputsReadBy, isCacheable, isForced } from './run/stageChecks';
export * from './pipeline/parsePipeline';
export * from './pipeline/sourceTree';
export * from './pipeline/expressions';
export * from './pipeline/duration';
export * from './pipeline/cron';
export * from './pipeline/files';
export * from './pipeline/graph';
export { ENV_NAME_PATTERN, ID_PATTERN, isValidId } from './pipeline/ids';
export * from './pipeline/keys';
export * from './pipeline/schema';
export { EXECUTOR_TYPES, QUEUE_NAME_PATTERN, bullmqQueues } from './pipeline/executor';
export { DEFAULT_RETRY } from './pipeline/validateRetry';
export { PROMPT_TYPES } from './pipeline/validateInputs';
export { OVERLAP_POLICIES } from './pipeline/validateSchedule';
