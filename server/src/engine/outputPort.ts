import type { AnswerValue, Progress, PromptType } from '@baton/core';
import type { StageAnnotation } from './engineEvents';

/** A question a stage asked with `::prompt`. */
export interface StagePromptRequest {
  /** The stage's name for the prompt; the engine numbers unnamed prompts. */
  readonly id?: string;
  readonly type: PromptType;
  readonly message: string;
  readonly options?: readonly string[];
  readonly default?: AnswerValue;
  readonly timeoutMs?: number;
}

/** What one piece of stage output means to the engine. */
export type StageOutputItem =
  /** Text for the log (already masked), with its line endings. */
  | { readonly kind: 'text'; readonly text: string }
  /**
   * Complete lines for the log exactly as the stage printed them (valid
   * UTF-8, each ending in `\n`), with nothing the parser would change: the
   * same as a `text` item of their decoded bytes, without the decoding.
   * The engine still masks them with values the parser may not know.
   */
  | { readonly kind: 'plain'; readonly bytes: Buffer }
  | { readonly kind: 'progress'; readonly progress: Progress }
  | { readonly kind: 'prompt'; readonly prompt: StagePromptRequest }
  | { readonly kind: 'annotation'; readonly annotation: StageAnnotation }
  /** A value to mask from now on, everywhere in the run. */
  | { readonly kind: 'mask'; readonly value: string };

/**
 * Turns a stage's raw stdout and stderr into log text and protocol items.
 * One instance per attempt; the engine adapts the output module to this.
 */
export interface StageOutputParser {
  /** Feeds a chunk; returns what it completed. */
  push(stream: 'stdout' | 'stderr', chunk: Buffer): StageOutputItem[];
  /** The stream ended: returns whatever was still pending (an unfinished last line). */
  end(): StageOutputItem[];
  /** Text after the last newline of stdout, for bare-input detection. */
  partialLine(): string;
  /** Adds a value to mask (from another stage of the run or a secret input). */
  addMask(value: string): void;
}
