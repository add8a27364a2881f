/**
 * The stage-output pipeline: from raw stdout/stderr chunks to masked log
 * lines, progress, prompts, annotations and groups, plus the `$BATON_OUTPUT`
 * file and the progress throttle. See docs/stage-protocol.md.
 */
export { StageOutputProcessor } from './stageOutput';
export type {
  GroupEvent,
  OutputLine,
  OutputLineKind,
  OutputStream,
  StageOutputHandlers,
  StageOutputOptions,
  StagePrompt,
} from './stageOutput';
export { LineSplitter, DEFAULT_MAX_LINE_LENGTH } from './lineSplitter';
export type { LineEnding, LineListener } from './lineSplitter';
export { parseStageCommand, parseWorkflowCommandSyntax } from './workflowCommands';
export type { WorkflowCommandSyntax } from './workflowCommands';
export type { Annotation, AnnotationLevel, PromptRequest, StageCommand } from './stageCommand';
export { extractOscProgress, parseProgressBar } from './terminalProgress';
export { Masker, MASK, DEFAULT_MIN_SECRET_LENGTH } from './masker';
export { parseOutputFile, readOutputFile, DEFAULT_MAX_OUTPUT_FILE_BYTES } from './outputFile';
export type { OutputFileResult } from './outputFile';
export {
  ProgressThrottle,
  systemScheduler,
  DEFAULT_PROGRESS_INTERVAL_MS,
} from './progressThrottle';
export type { ThrottleScheduler } from './progressThrottle';
