/** Ids of every command the extension contributes; the manifest lists the same ids. */
export const CommandIds = {
  runPipeline: 'baton.runPipeline',
  chooseAndRunPipeline: 'baton.chooseAndRunPipeline',
  copyRunId: 'baton.copyRunId',
  stopRun: 'baton.stopRun',
  resumeRun: 'baton.resumeRun',
  retryStage: 'baton.retryStage',
  showRunLog: 'baton.showRunLog',
  answerPrompt: 'baton.answerPrompt',
  openPipelineFile: 'baton.openPipelineFile',
  revealRunFolder: 'baton.revealRunFolder',
  breakStaleLock: 'baton.breakStaleLock',
  restartServer: 'baton.restartServer',
  showServerOutput: 'baton.showServerOutput',
  setSecret: 'baton.setSecret',
  runStage: 'baton.runStage',
  runFromStage: 'baton.runFromStage',
  forceRun: 'baton.forceRun',
  showStageLog: 'baton.showStageLog',
  showSummary: 'baton.showSummary',
  showGraph: 'baton.showGraph',
  debugStage: 'baton.debugStage',
  showTimeline: 'baton.showTimeline',
  retryFailedItems: 'baton.retryFailedItems',
  showMoreItems: 'baton.showMoreItems',
  showHistory: 'baton.showHistory',
  compareWithPrevious: 'baton.compareWithPrevious',
  compareWithRun: 'baton.compareWithRun',
} as const;

/** A command id of `CommandIds`. */
export type CommandId = (typeof CommandIds)[keyof typeof CommandIds];

/** The id of the Runs tree view. */
export const RUNS_VIEW_ID = 'baton.runs';

/** Context key set while at least one prompt is open (menus use it). */
export const HAS_OPEN_PROMPTS_CONTEXT = 'baton.hasOpenPrompts';
