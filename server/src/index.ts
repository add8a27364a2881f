/** @baton/server: the engine, the JSON-RPC server and the CLI. */
export { Engine, DEFAULT_ATTEMPT_SETTINGS } from './engine/engine';
export { loadPipeline } from './engine/pipelineFile';
export type { EngineOptions, RunHandle, ResumeHandle, StopOutcome } from './engine/engine';
export type { EngineEvents, StageAnnotation } from './engine/engineEvents';
export { EngineError, isEngineError, describeOwner } from './engine/engineErrors';
export type { EngineErrorKind } from './engine/engineErrors';
export type { GivenAnswer } from './engine/promptLookup';
export { findPrompt } from './engine/promptLookup';
export type { Clock } from './engine/clock';
export { systemClock } from './engine/clock';
export type { Disposable } from './engine/typedEmitter';
export type { AttemptSettings } from './engine/attempt/attemptDeps';
