import type { AnswerValue, RunSecrets } from '@baton/protocol';
import type { RequestType } from 'vscode-languageclient/node';
import { findStage } from './model/itemWindow';
import { openPipelineFile } from './fileCommands';
import { startPlannedRun } from './plannedRun';
import type { Ctx } from './ctx';
import type { CommandTarget } from './model/commandArgs';
import { errorText } from './model/errorText';
import { hasRetryableItems } from './model/itemRows';
import { planRows, planSummary } from './model/resumePlan';
import { runLabel } from './model/runLabel';
import { isActiveRun, isResumableRun, isRetryableStage } from './model/runStatus';
import type { RunView } from './model/runView';
import { pickPipeline, pickRun, pickStage } from './pickers';
import { Requests } from './rpc';
import { sendWithSecrets } from './runSecrets';
import { ensureTrusted } from './trust';
import { showError, showInfo, writeClipboard } from './vscode/windowMessages';
import { pickOne } from './vscode/quickPick';

/** Runs a pipeline: picks it (unless given), then asks its inputs, previews its plan and starts it (`startPlannedRun`). */
export async function runPipeline(ctx: Ctx, target: CommandTarget): Promise<void> {
  if (!ensureTrusted('run a pipeline')) return;
  const pipeline =
    ctx.store.pipelines.find((p) => p.id === target.pipelineId) ??
    (await pickPipeline(ctx.store, 'Run Pipeline', false, (invalid) =>
      openPipelineFile(ctx, { pipelineId: invalid.id }, undefined),
    ));
  if (!pipeline) return;
  await startPlannedRun(ctx, pipeline);
}

/**
 * Runs a pipeline the user picks, whatever row has focus: the Runs view's
 * title button. (VS Code hands a view-title command the focused row, so this
 * is its own command that ignores its arguments.)
 */
export async function chooseAndRunPipeline(ctx: Ctx): Promise<void> {
  await runPipeline(ctx, {});
}

/** Resolves the run a command is about, asking among the runs `filter` accepts when none was given. */
async function targetRun(
  ctx: Ctx,
  target: CommandTarget,
  title: string,
  filter: (run: RunView) => boolean,
  noneMessage: string,
): Promise<RunView | undefined> {
  const given = target.runId !== undefined ? ctx.store.run(target.runId) : undefined;
  if (given) return given;
  return pickRun(ctx.store, title, filter, noneMessage);
}

/** Stops a run (its stages' process trees are ended). */
export async function stopRun(ctx: Ctx, target: CommandTarget): Promise<void> {
  const run = await targetRun(
    ctx,
    target,
    'Stop Run',
    (r) => isActiveRun(r.summary.status),
    'No run is active.',
  );
  if (!run) return;
  await ctx.send(Requests.stopRun, { runId: run.summary.runId, reason: 'stopped from VS Code' });
}

/** Resumes a run after showing the plan (which stages are skipped, re-run or run, and why). */
export async function resumeRun(ctx: Ctx, target: CommandTarget): Promise<void> {
  if (!ensureTrusted('resume a run')) return;
  const run = await targetRun(
    ctx,
    target,
    'Resume Run',
    (r) => isResumableRun(r.summary.status),
    'No run can be resumed.',
  );
  if (!run) return;
  const runId = run.summary.runId;
  const { plan } = await ctx.send(Requests.resumeRun, { runId, dryRun: true });
  // The plan's rows are information: picking one does nothing; only Resume resumes.
  const go = await pickOne<'resume' | 'cancel' | 'info'>(
    [
      { label: '$(debug-continue) Resume', description: planSummary(plan), value: 'resume' },
      { label: '$(close) Cancel', value: 'cancel' },
      { separator: 'Plan (for information)' },
      ...planRows(plan).map((row) => ({ ...row, value: 'info' as const })),
    ],
    {
      title: `Resume ${runLabel(run.summary)}?`,
      placeholder: 'Resume starts the plan below; Escape or Cancel leaves the run as it is',
      isInert: (value) => value === 'info',
    },
  );
  if (go !== 'resume') return;
  if (!(await sendRunRequest(ctx, Requests.resumeRun, { runId }, runLabel(run.summary)))) return;
  await ctx.logs.show(runId, true);
}

/** Runs a failed or stopped stage of an ended run again (and what depends on it). */
export async function retryStage(ctx: Ctx, target: CommandTarget): Promise<void> {
  if (!ensureTrusted('retry a stage')) return;
  const retryable = (r: RunView): boolean =>
    r.stages.some((s) => isRetryableStage(s.status, r.summary.status));
  const run = await targetRun(
    ctx,
    target,
    'Retry Stage',
    retryable,
    'No ended run has a failed or stopped stage.',
  );
  if (!run) return;
  const stage =
    (target.stageId === undefined ? undefined : findStage(run, target.stageId)) ??
    (await pickStage(run, 'Retry Stage', (s) => isRetryableStage(s.status, run.summary.status)));
  if (!stage) return;
  const retried = await sendRunRequest(
    ctx,
    Requests.retryStage,
    { runId: run.summary.runId, stage: stage.id },
    runLabel(run.summary),
  );
  if (!retried) return;
  const { plan } = retried;
  void showInfo(`Retrying ${stage.id} of ${runLabel(run.summary)}: ${planSummary(plan)}.`);
  await ctx.logs.show(run.summary.runId, true);
}

/**
 * Retry Failed Items: runs again only the failed (or stopped) items of a
 * fanned-out stage of an ended run (`baton/retryStage` with `failedItems`);
 * its succeeded items keep their results.
 */
export async function retryFailedItems(ctx: Ctx, target: CommandTarget): Promise<void> {
  if (!ensureTrusted('retry failed items')) return;
  const withFailedItems = (r: RunView): boolean => r.stages.some((s) => hasRetryableItems(r, s));
  const run = await targetRun(
    ctx,
    target,
    'Retry Failed Items',
    withFailedItems,
    'No ended run has a fanned-out stage with failed items.',
  );
  if (!run) return;
  const stage =
    run.stages.find((s) => s.id === target.stageId) ??
    (await pickStage(run, 'Retry Failed Items', (s) => hasRetryableItems(run, s)));
  if (!stage) return;
  const retried = await sendRunRequest(
    ctx,
    Requests.retryStage,
    { runId: run.summary.runId, stage: stage.id, failedItems: true },
    runLabel(run.summary),
  );
  if (!retried) return;
  const again = retried.plan.steps.filter((s) => s.action !== 'skip' && s.stage !== stage.id);
  const items = again.filter((s) => s.stage.startsWith(`${stage.id}[`)).length;
  void showInfo(
    `Retrying ${items} failed item${items === 1 ? '' : 's'} of ${stage.id} in ${runLabel(run.summary)}.`,
  );
}

/** Sends a start, resume or retry, giving the secrets the server lacks (see `sendWithSecrets`). */
export function sendRunRequest<P extends RunSecrets, R>(
  ctx: Ctx,
  type: RequestType<P, R, void>,
  params: P,
  forWhat: string,
): Promise<R | undefined> {
  const send = (withSecrets: P, carries: boolean): Promise<R> =>
    carries ? ctx.sendSecretly(type, withSecrets) : ctx.send(type, withSecrets);
  return sendWithSecrets(send, params, ctx.secrets, forWhat);
}

/** Shows a run's output channel, loading what it has not shown yet. */
export async function showRunLog(ctx: Ctx, target: CommandTarget): Promise<void> {
  const run = await targetRun(ctx, target, 'Show Run Log', () => true, 'There are no runs yet.');
  if (!run) return;
  if (!run.detailed) await ctx.loadRun(run.summary.runId);
  await ctx.logs.show(run.summary.runId);
}

/**
 * Answers a prompt: the given one, or the only/picked open one. A third
 * argument (a notification's Yes/No or option button) is the answer itself.
 */
export async function answerPrompt(
  ctx: Ctx,
  target: CommandTarget,
  args: readonly unknown[],
): Promise<void> {
  if (target.runId !== undefined && target.promptId !== undefined) {
    await ctx.prompts.answer(target.runId, target.promptId, answerArgument(args[2]));
  } else {
    await ctx.prompts.pickAndAnswer();
  }
}

function answerArgument(value: unknown): AnswerValue | undefined {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return undefined;
}

/** Copies a run's id (for `baton` commands, bug reports, the run folder). */
export async function copyRunId(ctx: Ctx, target: CommandTarget): Promise<void> {
  const run = await targetRun(ctx, target, 'Copy Run Id', () => true, 'There are no runs yet.');
  if (!run) return;
  await writeClipboard(run.summary.runId);
  void showInfo(`Copied the id of ${runLabel(run.summary)}: ${run.summary.runId}`);
}

/** Reports a failed command in plain words instead of an unhandled rejection. */
export async function reportFailure(ctx: Ctx, title: string, error: unknown): Promise<void> {
  ctx.output.error(`${title} failed: ${errorText(error)}`);
  void showError(`${title} failed: ${errorText(error)}`);
}
