import type { Draft } from './draft';
import { positionOf, readyHeapOf, specOf, stageOf, updateStage } from './draft';
import type { RunEventOf } from './events';

/**
 * Resource pools in the core: a ready stage with `resources:` first queues
 * for its pool slots (status `waitingForPool`, effect `acquireSlots`) and
 * only then takes a concurrency slot and runs. Waiting for a pool holds no
 * concurrency slot and no `max_parallel` place, so stages that need no pool
 * (or another pool) run meanwhile; at most `concurrency` stages of a run
 * wait for pools at once, so a fan-out of 10,000 items does not queue
 * 10,000 of them. The shell keeps the queue across runs and processes and
 * reports `slotsWaiting` (why) and `slotsAcquired`. A stage's `timeout:`
 * starts when it runs, so the wait does not count against it.
 */

/** How many of the run's stages wait for pool slots, or hold them until a concurrency slot frees. */
export function poolWaiters(draft: Draft): number {
  return draft.counts.waitingForPool;
}

/** The pools a stage asks for, for people: `gpu`, `gpu and llm`. */
function poolNames(resources: Readonly<Record<string, number>>): string {
  const names = Object.keys(resources).sort();
  return names.length <= 1
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** A ready stage with `resources:` joins its pools' queue; it runs once `slotsAcquired` comes. */
export function enterPoolWait(draft: Draft, id: string): void {
  const resources = specOf(draft, id).resources ?? {};
  const attempt = stageOf(draft, id).attempt + 1;
  updateStage(draft, id, (s) => {
    s.status = 'waitingForPool';
    s.slots = 'waiting';
    s.reason = `waiting for pool ${poolNames(resources)}`;
  });
  draft.effects.push({ type: 'acquireSlots', stage: id, attempt, resources });
}

/** Why an event about a stage's pool wait does not apply, or undefined. */
function checkPoolWait(draft: Draft, id: string, attempt: number): string | undefined {
  const stage = draft.stages[id];
  if (stage === undefined) return `there is no stage '${id}' in this run`;
  if (stage.status !== 'waitingForPool' || stage.slots !== 'waiting') {
    return `stage '${id}' is ${stage.status}, not waiting for pool slots`;
  }
  if (stage.attempt + 1 !== attempt) {
    return `stage '${id}' waits for pool slots for attempt ${stage.attempt + 1}, not attempt ${attempt}`;
  }
  return undefined;
}

/** The shell says why the stage still waits for its pools. */
export function onSlotsWaiting(
  draft: Draft,
  event: RunEventOf<'slotsWaiting'>,
): string | undefined {
  const problem = checkPoolWait(draft, event.stage, event.attempt);
  if (problem !== undefined) return problem;
  updateStage(draft, event.stage, (s) => {
    s.reason = event.reason;
  });
  return undefined;
}

/**
 * The shell took the stage's pool slots: the stage holds them and starts
 * with the next free concurrency slot (the scheduler serves these first).
 */
export function onSlotsAcquired(
  draft: Draft,
  event: RunEventOf<'slotsAcquired'>,
): string | undefined {
  const problem = checkPoolWait(draft, event.stage, event.attempt);
  if (problem !== undefined) return problem;
  updateStage(draft, event.stage, (s) => {
    s.slots = 'held';
    s.reason = `has its pool slots; waiting for a free slot (concurrency ${draft.run.concurrency})`;
  });
  readyHeapOf(draft).granted.push(positionOf(draft, event.stage));
  return undefined;
}
