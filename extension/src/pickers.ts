import type { StageSnapshot, WirePipeline } from '@baton/protocol';
import { runStatusWord, stageStatusWord } from '@baton/protocol';
import { formatClock } from './model/format';
import { pipelineChoices } from './model/pipelineChoices';
import { runLabel } from './model/runLabel';
import type { ServerMirror } from './model/serverMirror';
import type { RunView } from './model/runView';
import { showInfo } from './vscode/windowMessages';
import { pickOne } from './vscode/quickPick';

/**
 * Lets the user pick a pipeline: the most recently run first, then the others
 * that can run, then (when `validOnly` is false) the invalid ones, shown
 * disabled with their error count: picking one of those opens its file at
 * the first problem instead of returning it.
 */
export async function pickPipeline(
  store: ServerMirror,
  title: string,
  validOnly: boolean,
  onInvalid?: (pipeline: WirePipeline) => Promise<void>,
): Promise<WirePipeline | undefined> {
  const choices = pipelineChoices(store, validOnly);
  if (choices.length === 0) {
    void showInfo(
      'No pipeline files were found in this workspace (`*.pipeline.yaml`, `*.pipeline.yml`, `*.pipeline.json`).',
    );
    return undefined;
  }
  const picked = await pickOne(
    choices.map((row) => ('separator' in row ? row : { ...row, value: row.pipeline })),
    { title, placeholder: 'Pick a pipeline' },
  );
  if (picked && !picked.valid && onInvalid) {
    await onInvalid(picked);
    return undefined;
  }
  return picked;
}

/** Lets the user pick one of the runs `filter` accepts (newest first); says so when there is none. */
export async function pickRun(
  store: ServerMirror,
  title: string,
  filter: (run: RunView) => boolean,
  noneMessage: string,
): Promise<RunView | undefined> {
  const runs = store.allRuns().filter(filter);
  if (runs.length === 0) {
    void showInfo(noneMessage);
    return undefined;
  }
  const now = Date.now();
  return pickOne(
    runs.map((run) => ({
      label: runLabel(run.summary),
      description: runStatusWord(run.summary.status),
      detail: `started ${formatClock(run.summary.startedAt ?? run.summary.createdAt, now)} · ${run.summary.runId}${run.summary.reason ? ` · ${run.summary.reason}` : ''}`,
      value: run,
    })),
    { title, placeholder: 'Pick a run' },
  );
}

/** Lets the user pick one of a run's stages that `filter` accepts. */
export async function pickStage(
  run: RunView,
  title: string,
  filter: (stage: StageSnapshot) => boolean,
): Promise<StageSnapshot | undefined> {
  const stages = run.stages.filter(filter);
  if (stages.length === 0) {
    void showInfo(`${runLabel(run.summary)} has no stage to pick here.`);
    return undefined;
  }
  return pickOne(
    stages.map((stage) => ({
      label: stage.id,
      description: stageStatusWord(stage, run.summary.status),
      ...(stage.reason !== undefined ? { detail: stage.reason } : {}),
      value: stage,
    })),
    { title, placeholder: 'Pick a stage' },
  );
}
