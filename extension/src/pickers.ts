import type { StageSnapshot, WirePipeline } from '@baton/protocol';
import { formatClock } from './model/format';
import type { ServerMirror } from './model/serverMirror';
import type { RunView } from './model/runView';
import { runStatusWords, stageStatusWords } from './model/statusIcons';
import { showInfo } from './vscode/windowMessages';
import { pickOne } from './vscode/quickPick';

/** Lets the user pick a pipeline; invalid ones are listed with their first problem. */
export async function pickPipeline(
  store: ServerMirror,
  title: string,
  validOnly: boolean,
): Promise<WirePipeline | undefined> {
  const pipelines = store.pipelines.filter((p) => p.valid || !validOnly);
  if (pipelines.length === 0) {
    void showInfo(
      'No pipeline files were found in this workspace (`*.pipeline.yaml`, `*.pipeline.yml`, `*.pipeline.json`).',
    );
    return undefined;
  }
  return pickOne(
    pipelines.map((p) => ({
      label: p.valid ? `$(list-tree) ${p.name}` : `$(warning) ${p.name}`,
      description: p.id,
      detail: p.valid
        ? (p.description ?? p.file)
        : (p.diagnostics[0]?.message ?? 'invalid pipeline file'),
      value: p,
    })),
    { title, placeholder: 'Pick a pipeline' },
  );
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
      label: `${run.summary.pipelineName} #${run.summary.runId}`,
      description: runStatusWords(run.summary.status),
      detail: `created ${formatClock(run.summary.createdAt, now)}${run.summary.reason ? ` · ${run.summary.reason}` : ''}`,
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
    void showInfo(`Run #${run.summary.runId} has no stage to pick here.`);
    return undefined;
  }
  return pickOne(
    stages.map((stage) => ({
      label: stage.id,
      description: stageStatusWords(stage.status),
      ...(stage.reason !== undefined ? { detail: stage.reason } : {}),
      value: stage,
    })),
    { title, placeholder: 'Pick a stage' },
  );
}
