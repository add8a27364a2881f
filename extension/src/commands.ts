import * as vscode from 'vscode';
import type { Ctx } from './ctx';
import { breakStaleLock, fileLocation, openPipelineFile, revealRunFolder } from './fileCommands';
import type { CommandTarget } from './model/commandArgs';
import { commandTarget } from './model/commandArgs';
import type { CommandId } from './model/commandIds';
import { CommandIds } from './model/commandIds';
import {
  answerPrompt,
  chooseAndRunPipeline,
  copyRunId,
  reportFailure,
  resumeRun,
  retryFailedItems,
  retryStage,
  runPipeline,
  showRunLog,
  stopRun,
} from './runActions';
import { compareWithPrevious, compareWithRun, showHistory } from './historyActions';
import { setSecret } from './runSecrets';
import { debugStage } from './debugStage';
import { forceRun, runFromHere, runThisStage } from './stageRunActions';
import { showGraph, showStageLog, showSummary, showTimeline } from './viewActions';

type Handler = (ctx: Ctx, target: CommandTarget, args: readonly unknown[]) => Promise<void>;

/** Every command and its handler; the titles come from the manifest. */
const HANDLERS: Record<CommandId, { readonly title: string; readonly run: Handler }> = {
  [CommandIds.runPipeline]: { title: 'Run Pipeline', run: runPipeline },
  [CommandIds.chooseAndRunPipeline]: {
    title: 'Run Pipeline',
    run: (ctx) => chooseAndRunPipeline(ctx),
  },
  [CommandIds.copyRunId]: { title: 'Copy Run Id', run: copyRunId },
  [CommandIds.stopRun]: { title: 'Stop Run', run: stopRun },
  [CommandIds.resumeRun]: { title: 'Resume Run', run: resumeRun },
  [CommandIds.retryStage]: { title: 'Retry Stage', run: retryStage },
  [CommandIds.showRunLog]: { title: 'Show Run Log', run: showRunLog },
  [CommandIds.answerPrompt]: { title: 'Answer Prompt', run: answerPrompt },
  [CommandIds.openPipelineFile]: {
    title: 'Open Pipeline File',
    run: (ctx, target, args) => openPipelineFile(ctx, target, fileLocation(args)),
  },
  [CommandIds.revealRunFolder]: { title: 'Reveal Run Folder', run: revealRunFolder },
  [CommandIds.breakStaleLock]: { title: 'Break Stale Lock', run: breakStaleLock },
  [CommandIds.restartServer]: { title: 'Restart Server', run: (ctx) => ctx.restart() },
  [CommandIds.setSecret]: { title: 'Set Secret', run: setSecret },
  [CommandIds.runStage]: { title: 'Run This Stage', run: runThisStage },
  [CommandIds.runFromStage]: { title: 'Run From Here', run: runFromHere },
  [CommandIds.forceRun]: { title: 'Force Run', run: forceRun },
  [CommandIds.showStageLog]: { title: 'Show Stage Log', run: showStageLog },
  [CommandIds.showSummary]: { title: 'Show Summary', run: showSummary },
  [CommandIds.showGraph]: { title: 'Show Graph', run: showGraph },
  [CommandIds.debugStage]: { title: 'Debug Stage', run: debugStage },
  [CommandIds.showTimeline]: { title: 'Show Timeline', run: showTimeline },
  [CommandIds.retryFailedItems]: { title: 'Retry Failed Items', run: retryFailedItems },
  [CommandIds.showMoreItems]: {
    title: 'Show More Items',
    run: async (ctx, target) => {
      if (target.runId !== undefined && target.stageId !== undefined)
        ctx.showMoreItems(target.runId, target.stageId);
    },
  },
  [CommandIds.showHistory]: { title: 'Show History', run: showHistory },
  [CommandIds.compareWithPrevious]: {
    title: 'Compare with Previous Run',
    run: compareWithPrevious,
  },
  [CommandIds.compareWithRun]: { title: 'Compare with Run', run: compareWithRun },
  [CommandIds.showServerOutput]: {
    title: 'Show Server Output',
    run: async (ctx) => ctx.output.show(),
  },
};

/**
 * Registers every command in one place. Each registration's disposable goes
 * to the context, and each handler's failure is shown in plain words.
 */
export function registerCommands(ctx: Ctx, context: vscode.ExtensionContext): void {
  for (const [id, { title, run }] of Object.entries(HANDLERS)) {
    const second = id === CommandIds.answerPrompt ? 'promptId' : 'stageId';
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          await run(ctx, commandTarget(args, second), args);
        } catch (error) {
          await reportFailure(ctx, title, error);
        }
      }),
    );
  }
}
