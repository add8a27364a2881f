import { changedStageIds, withStages } from '@baton/core';
import type { RunState, StageState } from '@baton/core';
import type { Masker } from './masker';

/** The parts of a run state kept by identity when an event leaves them as they were. */
const SHARED_PARTS = ['pipeline', 'prompts', 'inputs', 'answers'] as const;

/**
 * A run's state with its secrets masked, kept in step with the run event by
 * event at the cost of what each event changed. Masking the whole state per
 * event (the pipeline and every stage) made a 10,000-item run with a secret
 * pay for 10,000 stages on every event. Here only the stages the event
 * replaced are masked again, into a stages record that shares its other
 * chunks with the masked state before (`withStages`), so `changedStageIds`
 * compares two masked states as cheaply as two of the core's; the pipeline,
 * prompts, inputs and answers are masked again only when the event replaced
 * them. The whole state is masked again when a secret was added (a masked
 * part may now hide more) or when a stage id itself holds a secret (the
 * record's keys then differ from the run's).
 */
export class MaskedRunState {
  private source: RunState;
  private masked: RunState;
  /** How many secrets the masker had when `masked` was made. */
  private secrets: number;
  /** A stage id holds a secret: only a whole masking renames the keys. */
  private idsMasked = false;

  constructor(
    private readonly masker: Masker,
    state: RunState,
  ) {
    this.source = state;
    this.secrets = masker.size;
    this.masked = this.maskWhole(state);
  }

  /** The masked version of `state`, the state last advanced to (masked again if secrets were added). */
  of(state: RunState): RunState {
    if (state !== this.source || this.masker.size !== this.secrets) this.advance(state);
    return this.masked;
  }

  /** Moves on to `after`, the run's next state, and returns it masked. */
  advance(after: RunState): RunState {
    const before = this.source;
    this.source = after;
    if (this.masker.isEmpty) {
      this.masked = after;
      return after;
    }
    const ids = changedStageIds(before, after);
    if (ids === undefined || this.idsMasked || this.masker.size !== this.secrets) {
      this.secrets = this.masker.size;
      this.masked = this.maskWhole(after);
      return this.masked;
    }
    const states: StageState[] = [];
    for (const id of ids) {
      if (this.masker.mask(id) !== id) {
        this.masked = this.maskWhole(after);
        return this.masked;
      }
      states.push(this.masker.maskValue(after.stages[id] as StageState));
    }
    this.masked = this.maskParts(before, after, withStages(this.masked.stages, states));
    return this.masked;
  }

  /** `after` masked field by field: parts the event left alone are the masked ones before. */
  private maskParts(before: RunState, after: RunState, stages: RunState['stages']): RunState {
    const previous = this.masked;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(after)) {
      if (value === undefined) continue;
      if (key === 'stages') out[key] = stages;
      else if (isSharedPart(key) && before[key] === value) out[key] = previous[key];
      else out[key] = this.masker.maskValue(value as unknown);
    }
    return out as unknown as RunState;
  }

  private maskWhole(state: RunState): RunState {
    const masked = this.masker.maskValue(state);
    if (masked === state) return state;
    this.idsMasked = Object.keys(state.stages).some((id) => this.masker.mask(id) !== id);
    if (this.idsMasked) return masked;
    // A chunked record from the start, so the next masked state shares its chunks.
    return { ...masked, stages: withStages({}, Object.values(masked.stages)) };
  }
}

function isSharedPart(key: string): key is (typeof SHARED_PARTS)[number] {
  return (SHARED_PARTS as readonly string[]).includes(key);
}
