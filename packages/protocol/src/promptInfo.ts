/**
 * Questions on the wire: what a prompt asks and what an answer is. A prompt is
 * a pipeline input or a question a running stage printed.
 */

/** The kinds of question a prompt can ask. */
export type PromptType = 'choice' | 'multi' | 'text' | 'number' | 'confirm';

/** An answer: `text`/`choice` → string, `number` → number, `confirm` → boolean, `multi` → string[]. */
export type AnswerValue = string | number | boolean | string[];

/** An open question: a pipeline input or a prompt a running stage printed. */
export interface PromptInfo {
  readonly runId: string;
  readonly promptId: string;
  /** The stage that asked; absent for a pipeline input. */
  readonly stage?: string;
  readonly attempt?: number;
  readonly message: string;
  readonly type: PromptType;
  readonly options?: readonly string[];
  readonly default?: AnswerValue;
  readonly openedAt: number;
  /** When the prompt times out (then the default applies, or the run fails). */
  readonly deadline?: number;
  /** The answer is a secret: it is never echoed back in events or snapshots. */
  readonly secret?: boolean;
  /**
   * A `choice` that also takes any other text: the question was read from
   * what a library printed, and only the program knows what it accepts.
   */
  readonly allowOther?: boolean;
}
