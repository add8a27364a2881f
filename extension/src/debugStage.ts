import type { AnswerValue, DebugRuntime, StageNotDebuggableData } from '@baton/protocol';
import { ErrorCodes } from '@baton/protocol';
import type { Ctx } from './ctx';
import type { CommandTarget } from './model/commandArgs';
import type { AttachableDebuggers } from './model/debugConfiguration';
import {
  attachConfiguration,
  attachRuntimes,
  missingDebuggerText,
} from './model/debugConfiguration';
import { errorCode } from './model/errorText';
import { runLabel } from './model/runLabel';
import { isActiveRun } from './model/runStatus';
import type { RunView } from './model/runView';
import { pickRun, pickStage } from './pickers';
import { Requests } from './rpc';
import { sendRunRequest } from './runActions';
import { ensureTrusted } from './trust';
import { availableDebuggers, endSessionWhen, startDebugSession } from './vscode/debuggers';
import { showError, showInfo } from './vscode/windowMessages';

/** Longest wait for a debugged stage to say where its debugger is awaited. */
const TARGET_WAIT_MS = 120_000;
/** What the server shows instead of a secret input's value. */
const HIDDEN_VALUE = '••••••';

/** The stage to debug: of an ended run (retried in it), or of a pipeline (a new run). */
type DebugChoice =
  | { readonly kind: 'retry'; readonly run: RunView; readonly stage: string }
  | {
      readonly kind: 'newRun';
      readonly pipelineId: string;
      readonly stage: string;
      readonly from?: RunView;
    };

/**
 * "Debug Stage": runs one stage again under VS Code's debugger. A stage of a
 * failed, cancelled or interrupted run is retried in that run (its inputs,
 * env, its needs' outputs and its `$BATON_STATE`); of a succeeded run, or of a
 * pipeline, it runs in a new run with that run's inputs (what it needs is
 * skipped when up to date). The server starts the stage with its debug server
 * waiting and says where; the debugger attaches. Prompts go through Baton as always.
 */
export async function debugStage(ctx: Ctx, target: CommandTarget): Promise<void> {
  if (!ensureTrusted('debug a stage')) return;
  const choice = await chooseStage(ctx, target);
  if (choice === undefined) return;
  const debuggers = availableDebuggers();
  const attach = attachRuntimes(debuggers);
  let runId: string | undefined;
  try {
    runId = await startDebugged(ctx, choice, attach);
  } catch (error) {
    if (errorCode(error) !== ErrorCodes.StageNotDebuggable) throw error;
    const data = (error as { data?: StageNotDebuggableData }).data;
    void showError(missingDebuggerText(choice.stage, data?.runtime ?? null, data?.program ?? ''));
    return;
  }
  if (runId === undefined) return;
  await ctx.logs.show(runId, true);
  await attachWhenReady(ctx, runId, choice.stage, debuggers);
}

/** Resolves the stage from the command's target, or asks for a run and a stage. */
async function chooseStage(ctx: Ctx, target: CommandTarget): Promise<DebugChoice | undefined> {
  const given = target.runId === undefined ? undefined : ctx.store.run(target.runId);
  if (given === undefined && target.pipelineId !== undefined && target.stageId !== undefined) {
    return { kind: 'newRun', pipelineId: target.pipelineId, stage: target.stageId };
  }
  const run =
    given ??
    (await pickRun(
      ctx.store,
      'Debug Stage',
      (r) => !isActiveRun(r.summary.status),
      'No run has ended yet: Debug Stage runs a stage of an ended run again under the debugger.',
    ));
  if (run === undefined) return undefined;
  if (isActiveRun(run.summary.status)) {
    void showInfo(
      `${runLabel(run.summary)} is still running: stop it or let it end, then debug a stage of it.`,
    );
    return undefined;
  }
  if (!run.detailed) await ctx.loadRun(run.summary.runId);
  const loaded = ctx.store.run(run.summary.runId) ?? run;
  const stage =
    loaded.stages.find((s) => s.id === target.stageId)?.id ??
    (await pickStage(loaded, 'Debug Stage', () => true))?.id;
  if (stage === undefined) return undefined;
  return loaded.summary.status === 'succeeded'
    ? { kind: 'newRun', pipelineId: loaded.summary.pipeline, stage, from: loaded }
    : { kind: 'retry', run: loaded, stage };
}

/** Sends the request that starts the debugged attempt; the run's id, or undefined when it did not start. */
async function startDebugged(
  ctx: Ctx,
  choice: DebugChoice,
  attach: DebugRuntime[],
): Promise<string | undefined> {
  const { stage } = choice;
  if (choice.kind === 'retry') {
    const runId = choice.run.summary.runId;
    ctx.debugTargets.forget(runId, stage);
    const params = { runId, stage, debug: { attach } };
    const sent = await sendRunRequest(
      ctx,
      Requests.retryStage,
      params,
      runLabel(choice.run.summary),
    );
    return sent?.runId;
  }
  const inputs =
    choice.from === undefined ? undefined : await inputsOf(ctx, choice.from.summary.runId);
  const params = {
    pipeline: choice.pipelineId,
    debug: { stage, attach },
    ...(inputs === undefined ? {} : { inputs }),
  };
  const sent = await sendRunRequest(ctx, Requests.startRun, params, choice.pipelineId);
  return sent?.runId;
}

/** A run's inputs, without the secret ones (the server hides their values; the new run asks for them). */
async function inputsOf(ctx: Ctx, runId: string): Promise<Record<string, AnswerValue>> {
  const snapshot = await ctx.send(Requests.getRun, { runId, recentEvents: 0 });
  return Object.fromEntries(
    Object.entries(snapshot.inputs).filter(([, value]) => value !== HIDDEN_VALUE),
  );
}

/** Waits for the stage's debug target and attaches the debugger, or says why it cannot. */
async function attachWhenReady(
  ctx: Ctx,
  runId: string,
  stage: string,
  debuggers: AttachableDebuggers,
): Promise<void> {
  const givenUp = runEndsOrTimesOut(ctx, runId);
  const told = await ctx.debugTargets.next(runId, stage, givenUp.promise);
  givenUp.dispose();
  if (told === undefined) {
    void showError(
      `Stage ${stage} did not start under the debugger: see its log (Show Stage Log).`,
    );
    return;
  }
  const { target } = told;
  if (target.kind === 'unavailable') {
    void showError(`Stage ${stage} cannot be debugged: ${target.reason}.`);
    return;
  }
  const configuration = attachConfiguration(target, stage, debuggers);
  const session = await startDebugSession(configuration);
  if (session === undefined) {
    void showError(
      `VS Code could not attach its debugger to stage ${stage}; it waits at ${target.host}:${target.port} (stop the run to end it).`,
    );
    return;
  }
  // The stage's process is gone once its attempt ends: its session would only linger.
  endSessionWhen(session, ctx.store.onDidChange, () => !stageRuns(ctx, runId, stage));
}

/** Whether the stage's attempt still runs (or waits for an answer) in an active run. */
function stageRuns(ctx: Ctx, runId: string, stage: string): boolean {
  const run = ctx.store.run(runId);
  if (run === undefined || !isActiveRun(run.summary.status)) return false;
  const status = run.stages.find((candidate) => candidate.id === stage)?.status;
  return status === 'running' || status === 'waiting';
}

/** Settles when the run, once seen active, stops, or after TARGET_WAIT_MS. */
function runEndsOrTimesOut(
  ctx: Ctx,
  runId: string,
): { promise: Promise<void>; dispose: () => void } {
  let seenActive = false;
  let finish = (): void => undefined;
  const promise = new Promise<void>((resolve) => (finish = resolve));
  const timer = setTimeout(finish, TARGET_WAIT_MS);
  const subscription = ctx.store.onDidChange(() => {
    const status = ctx.store.run(runId)?.summary.status;
    if (status === undefined) return;
    if (isActiveRun(status)) seenActive = true;
    else if (seenActive) finish();
  });
  const dispose = (): void => {
    clearTimeout(timer);
    subscription.dispose();
    finish();
  };
  return { promise, dispose };
}
