import * as vscode from 'vscode';
import type { RunSummary } from '@baton/protocol';
import type { Ctx } from './ctx';
import type { CommandTarget } from './model/commandArgs';
import type { HistoryChoice } from './model/historyItems';
import { HISTORY_ACTIONS, HISTORY_PAGE, historyRows } from './model/historyItems';
import { runLabel } from './model/runLabel';
import { pickPipeline, pickRun } from './pickers';
import { Requests } from './rpc';
import { pickOne } from './vscode/quickPick';
import { pickPaged } from './vscode/pagedQuickPick';

/**
 * A pipeline's whole history, newest first, a page at a time from the
 * server (`baton/listRuns` with a cursor), in a QuickPick with "Load more…".
 * Resolves the picked run; `exclude` leaves one run out (the run a
 * comparison is for).
 */
async function pickFromHistory(
  ctx: Ctx,
  pipelineId: string,
  title: string,
  exclude?: string,
): Promise<RunSummary | undefined> {
  const runs: RunSummary[] = [];
  const picked = await pickPaged<HistoryChoice>({
    title,
    placeholder: 'Pick a run (newest first)',
    load: async (cursor) => {
      const page = await ctx.send(Requests.listRuns, {
        pipeline: pipelineId,
        limit: HISTORY_PAGE,
        ...(cursor === undefined ? {} : { cursor }),
      });
      runs.push(...page.runs.filter((run) => run.runId !== exclude));
      return historyRows(runs, page.nextCursor, Date.now());
    },
    moreOf: (choice) => (choice.kind === 'loadMore' ? choice.cursor : undefined),
  });
  return picked?.kind === 'run' ? picked.run : undefined;
}

/**
 * "Show History…": every run of a pipeline (from its row, its "Show more…"
 * row, or picked from the palette), paged; a picked run offers compare,
 * summary, graph, log and copy.
 */
export async function showHistory(ctx: Ctx, target: CommandTarget): Promise<void> {
  const pipelineId =
    target.pipelineId ??
    (target.runId !== undefined ? ctx.store.run(target.runId)?.summary.pipeline : undefined) ??
    (await pickPipeline(ctx.store, 'Show History', false))?.id;
  if (pipelineId === undefined) return;
  const name = ctx.store.pipelineName(pipelineId);
  const run = await pickFromHistory(ctx, pipelineId, `History of ${name}`);
  if (!run) return;
  const action = await pickOne(
    HISTORY_ACTIONS.map((choice) => ({ label: choice.label, value: choice.command })),
    { title: runLabel(run), placeholder: 'What to do with this run' },
  );
  if (action === undefined) return;
  // Older runs than the tree shows are loaded first, so every command knows them.
  await ctx.loadRun(run.runId);
  await vscode.commands.executeCommand(action, run.runId);
}

/** The run a compare command is about: the row's, else one picked from the known runs. */
async function compareTarget(ctx: Ctx, target: CommandTarget, title: string) {
  if (target.runId !== undefined) return target.runId;
  const run = await pickRun(ctx.store, title, () => true, 'There are no runs yet.');
  return run?.summary.runId;
}

/** "Compare with Previous Run": the run beside the run of its pipeline before it. */
export async function compareWithPrevious(ctx: Ctx, target: CommandTarget): Promise<void> {
  const runId = await compareTarget(ctx, target, 'Compare with Previous Run');
  if (runId === undefined) return;
  await ctx.comparisons.show(runId);
}

/** "Compare with Run…": the run beside a run of its pipeline picked from the history. */
export async function compareWithRun(ctx: Ctx, target: CommandTarget): Promise<void> {
  const runId = await compareTarget(ctx, target, 'Compare with Run…');
  if (runId === undefined) return;
  if (!ctx.store.run(runId)) await ctx.loadRun(runId);
  const pipelineId = ctx.store.run(runId)?.summary.pipeline;
  if (pipelineId === undefined) throw new Error(`run ${runId} is not known`);
  const base = await pickFromHistory(
    ctx,
    pipelineId,
    `Compare ${runLabel(ctx.store.run(runId)!.summary)} with…`,
    runId,
  );
  if (!base) return;
  await ctx.comparisons.show(runId, base.runId);
}
