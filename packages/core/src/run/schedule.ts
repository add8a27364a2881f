import { buildCommand, expressionContext, stagesReadBy } from './command';
import type { Draft } from './draft';
import { clearAttemptFields, readyHeapOf, specOf, stageOf, updateStage } from './draft';
import type { Pipeline } from '../pipeline/model';
import { pipelineIndex } from './pipelineIndex';
import { PositionQueue } from './positionQueue';
import type { RunState, StageState } from './state';
import type { AttemptLaunch } from './effects';
import { attemptTimers } from './timers';
import { inheritedExports } from './exports';
import { awaitsCheck } from './stageChecks';
import { awaitsFanOut, beginFanOut } from './fanOut';
import { settleGather, unitMayStart } from './gather';
import { isFinalStageStatus } from './machines';
import { enterPoolWait, poolWaiters } from './poolWaits';
import { conditionOf, conditionVerdict, statusAwareVerdict } from './stageCondition';

/** Every declared pipeline input has a value. */
export function inputsComplete(draft: Draft): boolean {
  return draft.run.pipeline.inputs.every((input) => Object.hasOwn(draft.inputs, input.id));
}

/**
 * How many stages scheduling has looked at in this process. Tests read it to
 * check that an event costs what it affects, not a walk of every stage.
 */
export const schedulingWork = { examined: 0 };

/** Number of stages holding a concurrency slot (a live process). */
export function liveCount(draft: Draft): number {
  return draft.counts.running + draft.counts.waiting;
}

/**
 * Why a pending stage cannot run because of a dependency or its `if:`, or
 * `'ready'` when every dependency is done and its condition holds, or
 * undefined when it must keep waiting. A dependency that failed with
 * `continue_on_error` counts as done.
 */
function dependencyVerdict(draft: Draft, stage: StageState): string | 'ready' | undefined {
  const spec = specOf(draft, stage.id);
  // A fanned-out stage's condition is its units' to judge, item by item.
  const fansOut = awaitsFanOut(spec);
  // A condition with a status function (`if: failure()`) is judged once every need is final.
  if (conditionOf(spec)?.statusAware === true) {
    if (!fansOut) return statusAwareVerdict(draft, stage.id);
    const final = spec.needs.every((need) => isFinalStageStatus(stageOf(draft, need).status));
    return final ? 'ready' : undefined;
  }
  let allDone = true;
  for (const need of spec.needs) {
    const dep = stageOf(draft, need);
    if (dep.status === 'failed' && !specOf(draft, need).continueOnError) {
      return `not run: it needs '${need}', which failed`;
    }
    if (dep.status === 'skipped') return `not run: it needs '${need}', which was skipped`;
    if (dep.status === 'cancelled') return `not run: it needs '${need}', which was cancelled`;
    if (dep.status !== 'succeeded' && dep.status !== 'failed') allDone = false;
  }
  if (!allDone) return undefined;
  return spec.if === undefined || fansOut ? 'ready' : conditionVerdict(draft, stage.id);
}

// Stage records in which no pending stage can move: a full scheduling pass
// ended with them. Keyed by the record, checked against the pipeline.
const settledRecords = new WeakMap<RunState['stages'], Pipeline>();

/**
 * The stages whose verdict may have changed: every stage when the event
 * started from a record no scheduling pass settled, else the stages updated
 * since `from` in `draft.touched` and the stages that need them.
 */
function candidates(draft: Draft, from: number, all: boolean): PositionQueue {
  const { positions, dependants } = pipelineIndex(draft.run.pipeline);
  const queue = new PositionQueue();
  if (all || (from === 0 && settledRecords.get(draft.base.stages) !== draft.run.pipeline)) {
    draft.run.pipeline.stages.forEach((_, position) => queue.push(position));
    return queue;
  }
  for (const id of draft.touched.slice(from)) {
    for (const affected of [id, ...(dependants.get(id) ?? [])]) {
      const position = positions.get(affected);
      if (position !== undefined) queue.push(position);
    }
  }
  return queue;
}

/**
 * Moves pending stages to ready or skipped until nothing changes, so a
 * failure skips its dependants' dependants too. Works in passes over the
 * stages in declaration order, as a pass over every pending stage would, but
 * visits only the stages whose dependencies changed: a change is seen later
 * in the same pass by the stages declared after it, and in the next pass by
 * those declared before it. Returns true when a stage fanned out, which
 * changed the pipeline: positions are stale and the caller must start over.
 */
function promotePending(draft: Draft, pass: PositionQueue): boolean {
  const { dependants, positions } = pipelineIndex(draft.run.pipeline);
  const order = draft.run.pipeline.stages;
  while (!pass.isEmpty) {
    const next = new PositionQueue();
    for (let at = pass.pop(); at !== undefined; at = pass.pop()) {
      schedulingWork.examined += 1;
      const stage = stageOf(draft, order[at]?.id ?? '');
      if (stage.status !== 'pending') continue;
      const spec = specOf(draft, stage.id);
      if (spec.gather !== undefined) {
        if (!settleGather(draft, stage.id)) continue;
      } else {
        const verdict = dependencyVerdict(draft, stage);
        if (verdict === undefined) continue;
        if (verdict === 'ready' && awaitsFanOut(spec)) {
          if (beginFanOut(draft, stage.id)) return true;
          if (stageOf(draft, stage.id).status === 'pending') continue;
        } else if (verdict === 'ready' && awaitsCheck(draft, stage.id)) {
          // A cacheable stage waits in pending for its check; `stageChecked` brings it back here.
          continue;
        } else {
          updateStage(draft, stage.id, (s) => {
            if (verdict === 'ready') {
              s.status = 'ready';
            } else {
              s.status = 'skipped';
              s.reason = verdict;
            }
          });
        }
      }
      for (const dependant of dependants.get(stage.id) ?? []) {
        const position = positions.get(dependant) ?? at;
        (position > at ? pass : next).push(position);
      }
    }
    pass = next;
  }
  return false;
}

/**
 * Starts the next attempt of a ready stage: the stage holds a slot from now
 * on, even before the shell reports `stageStarted`. A command that cannot be
 * built (a missing output it reads) fails the stage without a retry, since
 * another attempt would read the same values.
 */
function startAttempt(draft: Draft, id: string): void {
  const spec = specOf(draft, id);
  const built = attemptLaunch(draft, id);
  if (!built.ok) {
    updateStage(draft, id, (s) => {
      s.status = 'failed';
      s.reason = `could not build the command: ${built.errors.join('; ')}`;
      s.endedAt = draft.at;
    });
    return;
  }
  const attempt = stageOf(draft, id).attempt + 1;
  updateStage(draft, id, (s) => {
    clearAttemptFields(s);
    s.status = 'running';
    s.attempt = attempt;
    s.startedAt = draft.at;
    s.lastActivityAt = draft.at;
    s.outputs = {};
  });
  draft.effects.push({ type: 'spawnStage', stage: id, attempt, ...built.launch });
  for (const timer of attemptTimers(spec, attempt)) {
    const delay = timer.kind === 'stageTimeout' ? spec.timeoutMs : spec.idleTimeoutMs;
    draft.effects.push({ type: 'startTimer', timer, at: draft.at + (delay ?? 0) });
  }
}

/** Which of the ready heaps to take from, and what a stage in it must be to be taken. */
type HeapName = 'heap' | 'pooled' | 'granted';

function isWaitingIn(name: HeapName, stage: StageState): boolean {
  if (name === 'granted') return stage.status === 'waitingForPool' && stage.slots === 'held';
  return stage.status === 'ready';
}

/**
 * What an attempt of the stage runs: its command, cwd and env substituted
 * from the run's inputs and the outputs of the stages it reads, and what its
 * needs exported; or why the command cannot be built.
 */
export function attemptLaunch(
  draft: Draft,
  id: string,
):
  | { readonly ok: true; readonly launch: AttemptLaunch }
  | { readonly ok: false; readonly errors: readonly string[] } {
  const spec = specOf(draft, id);
  const ctx = expressionContext(draft.inputs, draft.stages, stagesReadBy(draft.run.pipeline, spec));
  const built = buildCommand(draft.run.pipeline, spec, ctx);
  if (!built.ok) return built;
  const { command, env } = built;
  const inherited = inheritedExports(spec.needs.map((need) => stageOf(draft, need).exported));
  return {
    ok: true,
    launch: {
      command,
      ...(built.cwd === undefined ? {} : { cwd: built.cwd }),
      env,
      ...(inherited === undefined ? {} : { inherited }),
    },
  };
}

/**
 * The first declared stage of one ready heap, taken off it, or undefined when
 * none waits there. Stale heap entries (stages no longer waiting) are dropped.
 */
function takeFirst(draft: Draft, name: HeapName): string | undefined {
  const heap = readyHeapOf(draft)[name];
  const order = draft.run.pipeline.stages;
  // Units whose stage runs `max_parallel` of them already wait for a later event.
  const held: number[] = [];
  let found: string | undefined;
  while (found === undefined) {
    const at = heap.pop();
    if (at === undefined) break;
    schedulingWork.examined += 1;
    const spec = order[at];
    if (spec === undefined || !isWaitingIn(name, stageOf(draft, spec.id))) continue;
    if (unitMayStart(draft, spec)) found = spec.id;
    else held.push(at);
  }
  for (const at of held) heap.push(at);
  return found;
}

/**
 * Starts stages in declaration order while concurrency slots are free:
 * first those that hold their pool slots, then ready stages that need no
 * pool. Ready stages that need pools join their queue while fewer than
 * `concurrency` stages of the run wait there. Returns whether any stage
 * failed to start.
 */
function startReady(draft: Draft): boolean {
  let failedToStart = false;
  const { concurrency } = draft.run;
  for (const name of ['granted', 'heap'] as const) {
    while (liveCount(draft) < concurrency) {
      const id = takeFirst(draft, name);
      if (id === undefined) break;
      startAttempt(draft, id);
      if (stageOf(draft, id).status === 'failed') failedToStart = true;
    }
  }
  while (poolWaiters(draft) < concurrency) {
    const id = takeFirst(draft, 'pooled');
    if (id === undefined) break;
    enterPoolWait(draft, id);
  }
  return failedToStart;
}

/**
 * Schedules what can run now: promotes pending stages, skips dependants of
 * failures and starts ready stages under the cap. Only while the run is
 * executing and every input has a value.
 */
export function schedule(draft: Draft): void {
  const { status } = draft.run;
  // A cancelled run schedules too: cancel left pending only the stages whose
  // condition may hold then (`if: always()`, `if: cancelled()`).
  if (status !== 'running' && status !== 'waiting') return;
  if (!inputsComplete(draft)) return;
  for (let again = true, from = 0, all = false; again;) {
    const pass = candidates(draft, from, all);
    from = draft.touched.length;
    // A fan-out changed the pipeline: the next pass looks at every stage.
    all = promotePending(draft, pass);
    again = startReady(draft) || all;
  }
  settledRecords.set(draft.stages, draft.run.pipeline);
}
