import type { BatonEvent, PromptInfo, RunSummary, StageSnapshot } from '@baton/protocol';
import { isFinalRun } from './runStatus';
import type { RunView } from './runView';
import { runViewFromSummary } from './runView';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Applies one event of the server's feed (`baton/getEvents` replay) to a run's
 * projection. Returns the new view, or `undefined` when the event is about a
 * run the client has never seen and cannot draw from the event alone (the
 * caller then fetches its snapshot). Applying the same event twice gives the
 * same view, so replays may overlap live notifications.
 */
export function applyEvent(view: RunView | undefined, event: BatonEvent): RunView | undefined {
  if (event.kind === 'runCreated') {
    if (view) return view;
    return runViewFromSummary({
      runId: event.runId,
      pipeline: event.pipeline,
      pipelineName: event.pipelineName,
      file: event.file,
      status: 'queued',
      createdAt: event.time,
      stageCounts: {},
      openPrompts: 0,
      local: false,
    });
  }
  if (!view) return undefined;
  switch (event.kind) {
    case 'runStatusChanged':
      return withSummary(
        view,
        runStatusPatch(view.summary, event.status, event.reason, event.time),
      );
    case 'runResumed':
      return withSummary(view, { status: 'running', endedAt: undefined, reason: undefined });
    case 'stageStatusChanged':
      return withStage(view, event.stage, (stage) => stagePatch(stage, event));
    case 'stageProgress':
      return withStage(view, event.stage, (stage) => ({ ...stage, progress: event.progress }));
    case 'promptOpened':
      return withPrompts(view, [
        ...view.prompts.filter((p) => p.promptId !== event.prompt.promptId),
        event.prompt,
      ]);
    case 'promptClosed':
      return withPrompts(
        view,
        view.prompts.filter((p) => p.promptId !== event.promptId),
      );
    case 'annotation':
      return { ...view, annotations: [...view.annotations, event] };
    case 'stageDiagnosed':
      return { ...view, diagnoses: { ...view.diagnoses, [event.stage]: event.diagnosis } };
    default: {
      const unknownEvent: never = event;
      return unknownEvent;
    }
  }
}

/** Replaces a run's open prompts and keeps the summary's count in step. */
export function withPrompts(view: RunView, prompts: readonly PromptInfo[]): RunView {
  return { ...view, prompts, summary: { ...view.summary, openPrompts: prompts.length } };
}

function withSummary(
  view: RunView,
  patch: { [K in keyof RunSummary]?: RunSummary[K] | undefined },
): RunView {
  const summary: Mutable<RunSummary> = { ...view.summary };
  for (const [key, value] of Object.entries(patch) as [keyof RunSummary, unknown][]) {
    if (value === undefined) delete summary[key];
    else (summary as Record<string, unknown>)[key] = value;
  }
  return { ...view, summary };
}

function runStatusPatch(
  summary: RunSummary,
  status: RunSummary['status'],
  reason: string | undefined,
  time: number,
): { [K in keyof RunSummary]?: RunSummary[K] | undefined } {
  return {
    status,
    reason,
    startedAt: summary.startedAt ?? (status === 'running' ? time : undefined),
    endedAt: isFinalRun(status) || status === 'interrupted' ? time : undefined,
  };
}

function withStage(
  view: RunView,
  stageId: string,
  update: (stage: StageSnapshot) => StageSnapshot,
): RunView {
  const index = view.stages.findIndex((stage) => stage.id === stageId);
  const base: StageSnapshot = view.stages[index] ?? {
    id: stageId,
    status: 'pending',
    needs: [],
    attempt: 0,
    maxAttempts: 1,
    outputs: {},
  };
  const stages = [...view.stages];
  if (index >= 0) stages[index] = update(base);
  else stages.push(update(base));
  return { ...view, stages, summary: { ...view.summary, stageCounts: countStages(stages) } };
}

function stagePatch(
  stage: StageSnapshot,
  event: Extract<BatonEvent, { kind: 'stageStatusChanged' }>,
): StageSnapshot {
  const next: Mutable<StageSnapshot> = { ...stage, status: event.status, attempt: event.attempt };
  if (event.reason !== undefined) next.reason = event.reason;
  if (event.exitCode !== undefined) next.exitCode = event.exitCode;
  if (event.signal !== undefined) next.signal = event.signal;
  if (event.status === 'running' && stage.status !== 'waiting') {
    next.startedAt = event.time;
    delete next.endedAt;
    delete next.progress;
  }
  if (['succeeded', 'failed', 'skipped', 'cancelled'].includes(event.status)) {
    next.endedAt = event.time;
  }
  return next;
}

/** Counts stages per status, as `RunSummary.stageCounts` does. */
export function countStages(
  stages: readonly StageSnapshot[],
): Partial<Record<StageSnapshot['status'], number>> {
  const counts: Partial<Record<StageSnapshot['status'], number>> = {};
  for (const stage of stages) counts[stage.status] = (counts[stage.status] ?? 0) + 1;
  return counts;
}
