/**
 * The whole of one run at a moment: its summary with its stages, open prompts
 * and latest events. Times are epoch milliseconds.
 */
import type { BatonEvent } from './batonEvent';
import type { AnswerValue, PromptInfo } from './promptInfo';
import type { RunSummary } from './runSummary';
import type { StageSnapshot } from './stageSnapshot';

/** Everything about one run, as `baton/getRun` returns it. */
export interface RunSnapshot extends RunSummary {
  /** The global sequence number of the last event applied to this snapshot. */
  readonly seq: number;
  readonly interactive: boolean;
  readonly concurrency: number;
  /** Inputs the run started with; secret values are replaced by `"••••••"`. */
  readonly inputs: Readonly<Record<string, AnswerValue>>;
  /**
   * Stages in declaration order. Of a fanned-out stage's units only the
   * failed and running ones are here (see `baton/getRun`), unless the request
   * asked for `allUnits`.
   */
  readonly stages: readonly StageSnapshot[];
  /**
   * True when units of fanned-out stages were left out of `stages`: their
   * counts are on their stage (`items`), `baton/listItems` pages them, and
   * `stageCounts` still counts them all.
   */
  readonly partialUnits?: boolean;
  readonly prompts: readonly PromptInfo[];
  /** The latest events of this run, oldest first. */
  readonly recentEvents: readonly BatonEvent[];
  /** Markdown stages wrote to `$BATON_SUMMARY`, concatenated in stage order. */
  readonly summary?: string;
}
