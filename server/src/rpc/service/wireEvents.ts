/**
 * Wire events from run events: what one accepted event of a run (one line of
 * its `events.jsonl`) means for a client. Pure: the same (before, event,
 * after) always gives the same wire events, so a run of this process and a
 * run replayed from another process's event log are told alike.
 */
import type * as Core from '@baton/core';
import {
  changedInputsOf,
  changedStageIds,
  pipelineIndex,
  planResume,
  transition,
} from '@baton/core';
import type * as P from '@baton/protocol';
import { defined } from '../defined';
import { toPromptInfo, toResumePlan, toWireDiagnosis, toWireItems } from './wire';

/** A wire event before the feed gives it its sequence number. */
export type NewEvent = P.BatonEvent extends infer E
  ? E extends P.BatonEvent
    ? Omit<E, 'seq'>
    : never
  : never;

/** One accepted run event with the states around it. */
export interface RunChange {
  readonly before: Core.RunState;
  readonly event: Core.LoggedEvent;
  readonly after: Core.RunState;
}

/** The event that introduces a run to a client; `local` as in `RunSummary`. */
export function runCreatedEvent(state: Core.RunState, local: boolean): NewEvent {
  const { id: pipeline, file, name: pipelineName } = state.pipeline;
  const changed = changedInputsOf(state);
  return {
    kind: 'runCreated',
    runId: state.runId,
    time: state.createdAt,
    pipeline,
    file,
    pipelineName,
    ...(state.number !== undefined ? { number: state.number } : {}),
    ...(changed !== undefined ? { changedInputs: changed } : {}),
    local,
  };
}

/**
 * How a client first learns of a run whose earlier events this server never
 * saw (found on disk at start): `runCreated`, each stage that left `pending`
 * and the run's status, at the times the state records. Everything after
 * comes from the run's events.
 */
export function introductionOf(state: Core.RunState, local: boolean): NewEvent[] {
  const events = [runCreatedEvent(state, local)];
  for (const { id, unit } of state.pipeline.stages) {
    const stage = state.stages[id];
    if (stage === undefined || stage.status === 'pending' || isUnstartedUnit(stage, unit?.stage))
      continue;
    const time = stage.endedAt ?? stage.startedAt ?? state.startedAt ?? state.createdAt;
    const base = { runId: state.runId, time, stage: id, attempt: stage.attempt };
    events.push(stageStatusChanged(base, stage, unit?.stage));
  }
  if (state.status !== 'queued') {
    const time = state.endedAt ?? state.startedAt ?? state.createdAt;
    const { runId, status, reason } = state;
    events.push(defined({ kind: 'runStatusChanged' as const, runId, time, status, reason }));
  }
  return events;
}

/**
 * The wire events of one run event, all at the event's own time: a resume
 * first, then each stage it touched (declaration order), then the run's
 * status, then the prompts it closed and opened. Only the two states around
 * this one event are compared, never two states far apart, so no status that
 * came and went is lost. `local` says whether this server runs the run.
 */
export function wireEventsOf(change: RunChange, local: boolean): NewEvent[] {
  const { before, event, after } = change;
  const base = { runId: after.runId, time: event.at };
  const events: NewEvent[] = [];
  if (event.type === 'runResumed') {
    const options = event.rerun === undefined ? {} : { rerun: event.rerun };
    const plan = toResumePlan(planResume(before, options));
    events.push({ kind: 'runResumed', ...base, plan, local });
  }
  events.push(...stageEvents(change));
  if (before.status !== after.status && event.type !== 'runResumed') {
    const reason = after.reason;
    events.push(
      defined({ kind: 'runStatusChanged' as const, ...base, status: after.status, reason }),
    );
  }
  events.push(...promptEvents(change));
  return events;
}

/** Status, progress and diagnosis events of the stages the event touched. */
function stageEvents({ before, event, after }: RunChange): NewEvent[] {
  const events: NewEvent[] = [];
  // Shared stage tables tell which stages changed without reading every one.
  const ids = changedStageIds(before, after) ?? after.pipeline.stages.map((spec) => spec.id);
  for (const id of ids) {
    const old = before.stages[id];
    const stage = after.stages[id];
    if (stage === undefined || old === stage) continue;
    const unitOf = pipelineIndex(after.pipeline).specs.get(id)?.unit?.stage;
    // The units a fan-out makes are told by their stage's counts until one starts.
    if (old === undefined && isUnstartedUnit(stage, unitOf)) continue;
    const base = { runId: after.runId, time: event.at, stage: id, attempt: stage.attempt };
    const waitsAnew = stage.status === 'waitingForPool' && old?.reason !== stage.reason;
    if (old?.status !== stage.status || old.attempt !== stage.attempt || waitsAnew) {
      // A stage waiting for a pool is told again when whom it waits for changes.
      events.push(stageStatusChanged(base, stage, unitOf));
    } else if (
      stage.handle?.where !== undefined &&
      (old?.handle?.where !== stage.handle.where ||
        old.executorCondition !== stage.executorCondition)
    ) {
      // Handed to a queue (stageStarted with a handle), taken by a worker (stageClaimed),
      // held up or free again (stageExecutorCondition).
      const { where } = stage.handle;
      const condition = stage.executorCondition;
      events.push(
        defined({ kind: 'stageWhere' as const, ...base, where, executorCondition: condition }),
      );
    } else if (event.type === 'stageProgress' && event.stage === id && stage.progress) {
      events.push({ kind: 'stageProgress', ...base, progress: stage.progress });
    } else if (stage.items !== undefined && old?.items !== stage.items) {
      events.push({ kind: 'stageItems', ...base, items: toWireItems(stage.items) });
    }
    if (event.type === 'stageDiagnosed' && event.stage === id) {
      const diagnosis = toWireDiagnosis(after, event.diagnosis);
      events.push({ kind: 'stageDiagnosed', ...base, diagnosis });
    }
  }
  return events;
}

/**
 * Whether a stage is a unit of a fanned-out stage that has not started
 * (pending or ready): a fan-out of 10,000 items makes 10,000 of them at once,
 * which a client learns from the stage's item counts (`stageItems`); telling
 * each one held the first notification of a 10,000-item run for over half a
 * second and made it 3 MB. A unit is told from its first change after that.
 */
function isUnstartedUnit(stage: Core.StageState, unitOf: string | undefined): boolean {
  return unitOf !== undefined && (stage.status === 'pending' || stage.status === 'ready');
}

function stageStatusChanged(
  base: { runId: string; time: number; stage: string; attempt: number },
  stage: Core.StageState,
  unitOf: string | undefined,
): NewEvent {
  const succeeded = stage.status === 'succeeded';
  return defined({
    kind: 'stageStatusChanged' as const,
    ...base,
    status: stage.status,
    reason: stage.reason,
    exitCode: stage.exitCode,
    signal: stage.signal,
    maxAttempts: stage.maxAttempts,
    retryAt: stage.status === 'retrying' ? stage.retryAt : undefined,
    outputs: succeeded && Object.keys(stage.outputs).length > 0 ? stage.outputs : undefined,
    plan: stage.plan,
    upToDate: stage.upToDate,
    where: stage.handle?.where,
    unitOf,
    items: stage.items === undefined ? undefined : toWireItems(stage.items),
    executorCondition: stage.executorCondition,
  });
}

/**
 * Prompts the event opened (new, or asked again) and closed. Who closed one,
 * and with what answer, is decided in the core (`closePrompt` effects), so it
 * is read from there rather than guessed again here: the transition is pure,
 * and it is only run again for the rare event that closes a prompt.
 */
function promptEvents(change: RunChange): NewEvent[] {
  const { before, event, after } = change;
  const base = { runId: after.runId, time: event.at };
  const events: NewEvent[] = [];
  const closed = Object.values(before.prompts).filter((p) => !samePrompt(p, after.prompts[p.id]));
  const closes = closed.length === 0 ? [] : closeEffects(before, event);
  for (const prompt of closed) {
    const effect = closes.find((close) => close.promptId === prompt.id);
    const answer = prompt.secret === true ? undefined : effect?.answer;
    const by = effect?.by ?? (event.type === 'promptAnswered' ? event.by : event.type);
    events.push(
      defined({ kind: 'promptClosed' as const, ...base, promptId: prompt.id, by, answer }),
    );
  }
  for (const prompt of Object.values(after.prompts)) {
    if (samePrompt(before.prompts[prompt.id], prompt)) continue;
    events.push({ kind: 'promptOpened', ...base, prompt: toPromptInfo(after.runId, prompt) });
  }
  return events;
}

/**
 * Whether two prompts are the same asking. Masked states are copies, so
 * identity cannot tell; a prompt asked again opens at another time.
 */
function samePrompt(a: Core.PromptState | undefined, b: Core.PromptState | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  const attempt = (p: Core.PromptState): number => (p.kind === 'stage' ? p.attempt : 0);
  return a.kind === b.kind && a.openedAt === b.openedAt && attempt(a) === attempt(b);
}

type ClosePrompt = Extract<Core.Effect, { type: 'closePrompt' }>;

function closeEffects(before: Core.RunState, event: Core.LoggedEvent): ClosePrompt[] {
  return transition(before, event).effects.filter(
    (effect): effect is ClosePrompt => effect.type === 'closePrompt',
  );
}
