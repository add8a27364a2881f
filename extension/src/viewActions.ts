import * as vscode from 'vscode';
import type { Ctx } from './ctx';
import { findStage } from './model/itemWindow';
import { openPipelineFile } from './fileCommands';
import { pickPipeline } from './pickers';
import type { CommandTarget } from './model/commandArgs';
import { pickRun, pickStage } from './pickers';

/** Opens one stage's log alone (each attempt, live, the last page of each); asks the run and stage from the palette. */
export async function showStageLog(ctx: Ctx, target: CommandTarget): Promise<void> {
  const run =
    (target.runId !== undefined ? ctx.store.run(target.runId) : undefined) ??
    (await pickRun(ctx.store, 'Show Stage Log', () => true, 'There are no runs yet.'));
  if (!run) return;
  if (!run.detailed) await ctx.loadRun(run.summary.runId);
  const loaded = ctx.store.run(run.summary.runId) ?? run;
  const stage =
    (target.stageId === undefined ? undefined : findStage(loaded, target.stageId)) ??
    (await pickStage(loaded, 'Show Stage Log', () => true));
  if (!stage) return;
  await ctx.stageLogs.show({ runId: run.summary.runId, stage: stage.id });
}

/** Shows a run's summary (what its stages wrote to `$BATON_SUMMARY`) rendered as Markdown. */
export async function showSummary(ctx: Ctx, target: CommandTarget): Promise<void> {
  const run =
    (target.runId !== undefined ? ctx.store.run(target.runId) : undefined) ??
    (await pickRun(ctx.store, 'Show Summary', () => true, 'There are no runs yet.'));
  if (!run) return;
  await ctx.summaries.show(run.summary.runId);
}

/** Opens the run timeline of a run row (or graph), or of a run picked from the palette. */
export async function showTimeline(ctx: Ctx, target: CommandTarget): Promise<void> {
  const run =
    (target.runId !== undefined ? ctx.store.run(target.runId) : undefined) ??
    (await pickRun(ctx.store, 'Show Timeline', () => true, 'There are no runs yet.'));
  if (!run) return;
  ctx.timelines.show(run.summary.runId);
}

/**
 * Opens the pipeline graph: of the run of a run or stage row, of a pipeline
 * (its newest run once it has one) from a pipeline row or the editor title of
 * a pipeline file, or of a pipeline picked from the palette.
 */
export async function showGraph(
  ctx: Ctx,
  target: CommandTarget,
  args: readonly unknown[],
): Promise<void> {
  if (target.runId !== undefined && ctx.store.run(target.runId)) {
    ctx.graphs.show({ runId: target.runId });
    return;
  }
  const [first] = args;
  const file = first instanceof vscode.Uri ? first.fsPath : undefined;
  const pipeline =
    ctx.store.pipelines.find((p) => p.id === target.pipelineId || p.file === file) ??
    (await pickPipeline(ctx.store, 'Show Graph', false, (invalid) =>
      openPipelineFile(ctx, { pipelineId: invalid.id }, undefined),
    ));
  if (!pipeline) return;
  ctx.graphs.show({ pipelineId: pipeline.id });
}
