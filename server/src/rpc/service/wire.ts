/** Conversions from the core's and the engine's shapes to the protocol's wire types. */
import * as path from 'node:path';
import type * as Core from '@baton/core';
import {
  changedInputsOf,
  isStoppedRunStatus,
  pipelineIndex,
  runRanMs,
  maskedInputs,
  stageStatusCounts,
} from '@baton/core';
import type * as P from '@baton/protocol';
import { SNAPSHOT_UNITS_PER_STAGE } from '@baton/protocol';
import { snapshotStageIds } from './itemPages';
import type { StageAnnotation } from '../../engine/engineEvents';
import type { HistoryEntry } from '../../store/historyEntry';
import { defined } from '../defined';

/** A core prompt as the wire shows it. */
export function toPromptInfo(runId: string, prompt: Core.PromptState): P.PromptInfo {
  return defined<P.PromptInfo>({
    runId,
    promptId: prompt.id,
    stage: prompt.kind === 'stage' ? prompt.stage : undefined,
    attempt: prompt.kind === 'stage' ? prompt.attempt : undefined,
    message: prompt.message,
    type: prompt.type,
    options: prompt.options,
    default: prompt.secret === true ? undefined : prompt.default,
    openedAt: prompt.openedAt,
    deadline: prompt.deadline,
    secret: prompt.secret,
    allowOther: prompt.allowOther,
  });
}

/** A fanned-out stage's unit counts for the wire: only the statuses some unit is in. */
export function toWireItems(items: Core.ItemCounts): P.WireItemCounts {
  const counts: Partial<Record<P.StageStatus, number>> = {};
  for (const [status, count] of Object.entries(items.counts) as [P.StageStatus, number][]) {
    if (count > 0) counts[status] = count;
  }
  return { total: items.total, counts };
}

// Each run pipeline's declarations by id: a snapshot of 10,000 units must not
// search the declarations once per unit (that made getRun quadratic).
const declarations = new WeakMap<Core.Pipeline, ReadonlyMap<string, Core.StageSpec>>();

function declarationOf(pipeline: Core.Pipeline, id: string): Core.StageSpec | undefined {
  let index = declarations.get(pipeline);
  if (index === undefined) {
    index = new Map(pipeline.stages.map((spec) => [spec.id, spec]));
    declarations.set(pipeline, index);
  }
  return index.get(id);
}

/** A stage's wire snapshot from the run state; `expectedMs` from past runs (`ExpectedDurations`). */
export function toStageSnapshot(
  state: Core.RunState,
  stageId: string,
  expectedMs?: number,
): P.StageSnapshot | undefined {
  const stage = state.stages[stageId];
  if (stage === undefined) return undefined;
  const spec = pipelineIndex(state.pipeline).specs.get(stageId);
  return defined<P.StageSnapshot>({
    id: stage.id,
    status: stage.status,
    needs: spec === undefined ? [] : declaredNeeds(state.pipeline, spec),
    attempt: stage.attempt,
    maxAttempts: stage.maxAttempts,
    startedAt: stage.startedAt,
    endedAt: stage.endedAt,
    retryAt: stage.retryAt,
    expectedMs,
    exitCode: stage.exitCode,
    signal: stage.signal,
    progress: stage.progress,
    reason: stage.reason,
    outputs: stage.outputs,
    plan: stage.plan,
    upToDate: stage.upToDate,
    attemptsPerGo: Math.max(1, spec?.retry.attempts ?? 1),
    where: stage.handle?.where,
    executorCondition: stage.executorCondition,
    items: stage.items === undefined ? undefined : toWireItems(stage.items),
    unitOf: spec?.unit?.stage,
  });
}

/**
 * What a stage needs as its pipeline declares it. A fanned-out stage, once
 * expanded, needs exactly its units in the core (`gather`); the wire shows
 * the needs it was declared with, which its units carry (they sit just
 * before it), so a 10,000-item stage's snapshot, sent with every change of
 * one of its units, does not list 10,000 ids. An empty fan-out has no unit
 * to read them from: its needs are then shown empty.
 */
function declaredNeeds(pipeline: Core.Pipeline, spec: Core.StageSpec): readonly string[] {
  if (spec.gather === undefined) return spec.needs;
  const position = pipelineIndex(pipeline).positions.get(spec.id) ?? 0;
  const lastUnit = pipeline.stages[position - 1];
  return lastUnit?.unit?.stage === spec.id ? lastUnit.needs : [];
}

/** A run's wire summary; `local` says whether this server runs it. */
export function toRunSummary(state: Core.RunState, local: boolean): P.RunSummary {
  // The core keeps a transition's counts, so a summary per event does not read every stage.
  const counts: Partial<Record<P.StageStatus, number>> = stageStatusCounts(state);
  return defined<P.RunSummary>({
    runId: state.runId,
    pipeline: state.pipeline.id,
    pipelineName: state.pipeline.name,
    file: state.pipeline.file,
    number: state.number,
    changedInputs: changedInputsOf(state),
    status: state.status,
    createdAt: state.createdAt,
    startedAt: state.startedAt,
    endedAt: state.endedAt,
    resumedAt: state.resumedAt,
    resumes: state.resumes,
    earlierRanMs: state.earlierRanMs,
    ranMs: ranMsOf(state),
    reason: state.reason,
    stageCounts: counts,
    openPrompts: Object.keys(state.prompts).length,
    local,
  });
}

/** How long a stopped run ran (see `RunSummary.ranMs`); undefined while it runs or before it started. */
function ranMsOf(
  run: Pick<Core.RunState, 'status' | 'startedAt' | 'endedAt' | 'resumedAt' | 'earlierRanMs'>,
): number | undefined {
  if (!isStoppedRunStatus(run.status) || run.startedAt === undefined) return undefined;
  return runRanMs(run, run.endedAt ?? run.startedAt);
}

/** A run's wire summary from its history entry (a stopped run's: whole and final). */
export function historyEntrySummary(entry: HistoryEntry, local: boolean): P.RunSummary {
  return defined<P.RunSummary>({
    runId: entry.runId,
    pipeline: entry.pipelineId,
    pipelineName: entry.pipelineName,
    file: entry.file,
    number: entry.number,
    changedInputs: entry.changedInputs,
    status: entry.status,
    createdAt: entry.createdAt,
    startedAt: entry.startedAt,
    endedAt: entry.endedAt,
    resumedAt: entry.resumedAt,
    resumes: entry.resumes,
    earlierRanMs: entry.earlierRanMs,
    ranMs: ranMsOf(entry),
    reason: entry.reason,
    stageCounts: entry.stageCounts,
    openPrompts: entry.openPrompts,
    local,
  });
}

/**
 * A run's wire snapshot (`baton/getRun`): a fanned-out stage's units only
 * when failed or running (see `snapshotStageIds`), unless `allUnits`.
 */
export function toRunSnapshot(
  state: Core.RunState,
  extra: {
    local: boolean;
    seq: number;
    recentEvents: readonly P.BatonEvent[];
    summary?: string;
    /** How long a stage usually takes, from past runs. */
    expectedMs?: (stageId: string) => number | undefined;
    /** List every unit of every fanned-out stage. */
    allUnits?: boolean;
  },
): P.RunSnapshot {
  const listed = snapshotStageIds(state, {
    allUnits: extra.allUnits === true,
    perStage: SNAPSHOT_UNITS_PER_STAGE,
  });
  return defined<P.RunSnapshot>({
    ...toRunSummary(state, extra.local),
    seq: extra.seq,
    interactive: state.interactive,
    concurrency: state.concurrency,
    inputs: maskedInputs(state),
    stages: listed.ids.flatMap((id) => toStageSnapshot(state, id, extra.expectedMs?.(id)) ?? []),
    partialUnits: listed.partial ? true : undefined,
    prompts: Object.values(state.prompts).map((prompt) => toPromptInfo(state.runId, prompt)),
    recentEvents: extra.recentEvents,
    summary: extra.summary,
  });
}

/** A hang diagnosis as the wire shows it; the open prompt is given in full while it is still open. */
export function toWireDiagnosis(
  state: Core.RunState,
  diagnosis: Core.StageDiagnosis,
): P.StageDiagnosis {
  const prompt =
    diagnosis.openPrompt === undefined ? undefined : state.prompts[diagnosis.openPrompt];
  return defined<P.StageDiagnosis>({
    lastLines: diagnosis.lastLines,
    processes: diagnosis.processes.map((process) => ({
      pid: process.pid,
      ppid: process.ppid,
      command: process.command,
      cpuSeconds: process.cpuSeconds,
      rssKb: process.rssKb,
      state: process.state,
    })),
    openPrompt: prompt === undefined ? undefined : toPromptInfo(state.runId, prompt),
    idleMs: diagnosis.idleMs,
  });
}

/** The core's resume plan as the wire shows it. */
export function toResumePlan(plan: Core.ResumePlan): P.ResumePlan {
  return {
    steps: plan.stages.map((step) => ({
      stage: step.stage,
      action: step.action,
      reason: step.reason,
    })),
  };
}

/**
 * A stage annotation as the wire shows it (`debug` lines are not annotations
 * there). `path` is `file` made absolute against the stage's working
 * directory, when that is known.
 */
export function toWireAnnotation(
  annotation: StageAnnotation,
  stageDir?: string,
): P.WireAnnotation | undefined {
  if (annotation.level === 'debug') return undefined;
  const range =
    annotation.line === undefined
      ? undefined
      : defined<P.WireRange>({ line: annotation.line, column: annotation.column ?? 1 });
  const file = annotation.file;
  const resolvable = file !== undefined && (path.isAbsolute(file) || stageDir !== undefined);
  return defined<P.WireAnnotation>({
    severity: annotation.level,
    message: annotation.message,
    title: annotation.title,
    file,
    path: resolvable ? path.resolve(stageDir ?? '/', file) : undefined,
    range,
  });
}

/**
 * The working directory of a stage: its `cwd` against the pipeline file's
 * folder. Undefined when the `cwd` is an expression only known at run time.
 */
export function stageDirOf(state: Core.RunState, stage: string): string | undefined {
  const cwd = declarationOf(state.pipeline, stage)?.cwd ?? '.';
  if (cwd.includes('${{')) return undefined;
  return path.resolve(path.dirname(state.pipeline.file), cwd);
}

/** A pipeline (or a file that failed to parse) as the wire shows it. */
export function toWirePipeline(
  file: string,
  id: string,
  result: { pipeline?: Core.Pipeline; diagnostics: readonly Core.Diagnostic[] },
): P.WirePipeline {
  const pipeline = result.pipeline;
  const diagnostics = result.diagnostics.map((d) => defined<P.WireDiagnostic>({ ...d, file }));
  return defined<P.WirePipeline>({
    id: pipeline?.id ?? id,
    file,
    name: pipeline?.name ?? id,
    description: pipeline?.description,
    valid: pipeline !== undefined && !diagnostics.some((d) => d.severity === 'error'),
    stages: (pipeline?.stages ?? []).map((stage) =>
      defined<P.WireStage>({
        id: stage.id,
        needs: stage.needs,
        line: stage.position?.line,
        column: stage.position?.column,
        fanOut:
          stage.matrix !== undefined
            ? 'matrix'
            : stage.foreach !== undefined
              ? 'foreach'
              : undefined,
      }),
    ),
    inputs: (pipeline?.inputs ?? []).map((input) =>
      defined<P.WireInput>({
        id: input.id,
        prompt: input.prompt,
        type: input.type,
        options: input.options,
        default: input.secret === true ? undefined : input.default,
        secret: input.secret,
      }),
    ),
    secrets:
      pipeline === undefined || pipeline.secretEnv.length === 0 ? undefined : pipeline.secretEnv,
    schedule:
      pipeline?.schedule === undefined
        ? undefined
        : defined<P.WireSchedule>({
            cron: pipeline.schedule.cron,
            overlap: pipeline.schedule.overlap,
            timezone: pipeline.schedule.timezone,
          }),
    diagnostics,
  });
}
