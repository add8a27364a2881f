import type { WirePipeline, WireStage } from '@baton/protocol';
import type { Ctx } from './ctx';
import { openPipelineFile } from './fileCommands';
import type { CommandTarget } from './model/commandArgs';
import type { RunSelection } from './model/runPlan';
import { pickPipeline } from './pickers';
import { startPlannedRun } from './plannedRun';
import { ensureTrusted } from './trust';
import { pickOne } from './vscode/quickPick';

/**
 * The commands that run part of a pipeline: "Run This Stage", "Run From
 * Here" and "Force Run", from a stage row of a run, a stage of a pipeline
 * that never ran, a pipeline row (Force Run), a CodeLens in the pipeline
 * file, or the palette (which asks). Each goes through `startPlannedRun`, so
 * a run that would skip stages as up to date shows its plan first.
 */

/** Runs one stage and what it needs; what is up to date is skipped. */
export async function runThisStage(ctx: Ctx, target: CommandTarget): Promise<void> {
  await runSelected(ctx, target, 'Run This Stage', (stage) => ({ stages: [stage] }));
}

/** Runs a stage and everything downstream of it, ignoring the record for them. */
export async function runFromHere(ctx: Ctx, target: CommandTarget): Promise<void> {
  await runSelected(ctx, target, 'Run From Here', (stage) => ({ from: stage }));
}

/**
 * Runs ignoring the record: on a stage, that stage (and what it needs, which
 * may still be up to date); on a pipeline or from the palette, every stage.
 */
export async function forceRun(ctx: Ctx, target: CommandTarget): Promise<void> {
  if (!ensureTrusted('run a pipeline')) return;
  const pipeline = await targetPipeline(ctx, target, 'Force Run');
  if (!pipeline) return;
  const stage = target.stageId;
  const selection: RunSelection =
    stage !== undefined && pipeline.stages.some((s) => s.id === stage)
      ? { stages: [stage], force: [stage] }
      : { force: true };
  await startPlannedRun(ctx, pipeline, selection);
}

async function runSelected(
  ctx: Ctx,
  target: CommandTarget,
  title: string,
  select: (stage: string) => RunSelection,
): Promise<void> {
  if (!ensureTrusted('run a pipeline')) return;
  const pipeline = await targetPipeline(ctx, target, title);
  if (!pipeline) return;
  const stage =
    pipeline.stages.find((s) => s.id === target.stageId) ??
    (await pickPipelineStage(pipeline, title));
  if (!stage) return;
  await startPlannedRun(ctx, pipeline, select(stage.id));
}

/** The pipeline a command is about: named, the pipeline of the run named, or picked. */
async function targetPipeline(
  ctx: Ctx,
  target: CommandTarget,
  title: string,
): Promise<WirePipeline | undefined> {
  const pipelineId =
    target.pipelineId ??
    (target.runId !== undefined ? ctx.store.run(target.runId)?.summary.pipeline : undefined);
  const given = ctx.store.pipelines.find((p) => p.id === pipelineId);
  if (given) return given;
  return pickPipeline(ctx.store, title, false, (invalid) =>
    openPipelineFile(ctx, { pipelineId: invalid.id }, undefined),
  );
}

function pickPipelineStage(pipeline: WirePipeline, title: string): Promise<WireStage | undefined> {
  return pickOne(
    pipeline.stages.map((stage) => ({
      label: stage.id,
      description: stage.needs.length > 0 ? `needs ${stage.needs.join(', ')}` : '',
      value: stage,
    })),
    { title: `${title}: ${pipeline.name}`, placeholder: 'Pick a stage' },
  );
}
