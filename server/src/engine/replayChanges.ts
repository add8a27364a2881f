import { transition } from '@baton/core';
import type { LoggedEvent, RunState } from '@baton/core';
import type { RunChange } from './engineEvents';

/**
 * Replays logged events onto a state one at a time, keeping the state before
 * and after each (what the run's owner told its own listeners). Events the
 * state already holds are passed over; replay stops at a gap or at an event
 * the core refuses (a log that does not continue this state), so the changes
 * returned are always ones that happened.
 */
export function replayChanges(state: RunState, events: readonly LoggedEvent[]): RunChange[] {
  const changes: RunChange[] = [];
  let before = state;
  for (const event of events) {
    if (event.seq <= before.seq) continue;
    if (event.seq !== before.seq + 1) break;
    const result = transition(before, event);
    if (result.rejected !== undefined) break;
    changes.push({ before, event, after: result.state });
    before = result.state;
  }
  return changes;
}
