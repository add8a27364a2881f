import type { AnswerValue, StartRunParams, StartRunResult, WirePipeline } from '@baton/protocol';
import { askQuestion } from './askQuestion';
import type { Ctx } from './ctx';
import { inputQuestion, promptTitle } from './model/promptModel';
import type { RunSelection } from './model/runPlan';
import { runPlanRows, runPlanSummary, selectionTitle, skipsSomething } from './model/runPlan';
import { Requests } from './rpc';
import { sendWithSecrets } from './runSecrets';
import { showError } from './vscode/windowMessages';
import { pickOne } from './vscode/quickPick';

/**
 * Starts a run of a pipeline (all of it, or the stages `selection` names):
 * asks its inputs, asks the server for the plan, and when the plan skips
 * stages as up to date shows it (run/skip and why) before anything starts,
 * offering to run everything again instead. Then shows the run's log.
 */
export async function startPlannedRun(
  ctx: Ctx,
  pipeline: WirePipeline,
  selection: RunSelection = {},
): Promise<void> {
  if (!pipeline.valid) {
    const first = pipeline.diagnostics[0];
    void showError(
      `${pipeline.name} cannot run: ${first ? `${first.line}:${first.column} ${first.message}` : 'the file is invalid'}.`,
    );
    return;
  }
  const inputs = await askInputs(pipeline);
  if (!inputs) return;
  const params: StartRunParams = { pipeline: pipeline.id, inputs, ...selection };
  const chosen = await confirmPlan(ctx, pipeline, params);
  if (!chosen) return;
  const send = (withSecrets: StartRunParams, carries: boolean): Promise<StartRunResult> =>
    carries
      ? ctx.sendSecretly(Requests.startRun, withSecrets)
      : ctx.send(Requests.startRun, withSecrets);
  const started = await sendWithSecrets(send, chosen, ctx.secrets, pipeline.name);
  if (!started) return;
  const { runId } = started;
  // The log's channel is named after the run's label, which the run's first event brings.
  await ctx.waitForRun(runId);
  await ctx.logs.show(runId, true);
  void ctx.revealRun(runId);
}

/**
 * The params to start with: as given when nothing would be skipped, else what
 * the user picks in the plan preview (as given, or forced), or undefined.
 */
async function confirmPlan(
  ctx: Ctx,
  pipeline: WirePipeline,
  params: StartRunParams,
): Promise<StartRunParams | undefined> {
  const { plan } = await ctx.send(Requests.planRun, params);
  if (!skipsSomething(plan)) return params;
  // The plan's rows are information: picking one does nothing; only Run runs.
  const go = await pickOne<'run' | 'force' | 'cancel' | 'info'>(
    [
      { label: '$(play) Run', description: runPlanSummary(plan), value: 'run' },
      {
        label: '$(debug-rerun) Run Everything Again',
        description: 'ignore what is up to date',
        value: 'force',
      },
      { label: '$(close) Cancel', value: 'cancel' },
      { separator: 'Plan (for information)' },
      ...runPlanRows(plan).map((row) => ({ ...row, value: 'info' as const })),
    ],
    {
      title: `${selectionTitle(pipeline.name, params)}?`,
      placeholder: 'Run skips the stages that are up to date; Escape or Cancel runs nothing',
      isInert: (value) => value === 'info',
    },
  );
  if (go === 'run') return params;
  if (go === 'force') return { ...params, force: true };
  return undefined;
}

async function askInputs(pipeline: WirePipeline): Promise<Record<string, AnswerValue> | undefined> {
  const inputs: Record<string, AnswerValue> = {};
  for (const input of pipeline.inputs) {
    const question = inputQuestion(input);
    const value = await askQuestion(
      question,
      () => `${promptTitle(pipeline.name, question, Date.now())}: ${input.id}`,
      undefined,
      'beforeRun',
    );
    if (value === undefined) return undefined;
    inputs[input.id] = value;
  }
  return inputs;
}
