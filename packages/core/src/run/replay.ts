import type { LoggedEvent } from './events';
import type { RunState } from './state';
import { transition } from './transition';

/** Thrown when an event log does not replay onto its starting state. */
export class ReplayError extends Error {
  /** Sequence number of the offending event. */
  readonly seq: number;

  constructor(seq: number, message: string) {
    super(`event ${seq}: ${message}`);
    this.name = 'ReplayError';
    this.seq = seq;
  }
}

/**
 * Rebuilds a run's state from a starting state (the one `createRun` returned,
 * or a checkpoint) and the logged events after it. Events at or before the
 * start's `seq` are already in it and are passed over, so a checkpoint plus the
 * whole log works. A gap in the sequence, or an event the core rejects, means
 * the log does not belong to this state: that throws a `ReplayError` naming
 * the event rather than returning a state that never existed.
 */
export function replay(initial: RunState, events: readonly LoggedEvent[]): RunState {
  let state = initial;
  for (const logged of events) {
    if (logged.seq <= state.seq) continue;
    if (logged.seq !== state.seq + 1) {
      throw new ReplayError(logged.seq, `expected event ${state.seq + 1} next; the log has a gap`);
    }
    const result = transition(state, logged);
    if (result.rejected !== undefined) {
      throw new ReplayError(
        logged.seq,
        `${logged.type} was rejected on replay: ${result.rejected}`,
      );
    }
    state = result.state;
  }
  return state;
}
