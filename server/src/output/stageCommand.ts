/**
 * What a stage can say to Baton by printing a line: the typed result of
 * parsing workflow commands (`::name k=v::message`) and their Azure and
 * TeamCity equivalents. None of these change a run's results: outputs come
 * only from the `$BATON_OUTPUT` file, so text a stage merely echoes (a log
 * file, a web page, untrusted input) can never set them.
 */
import type { AnswerValue, Progress, PromptType } from '@baton/core';

/** A question a stage asks with `::prompt`; the answer is written to its stdin. */
export interface PromptRequest {
  /** The stage's own name for the prompt; answers are recorded under it. Undefined when not given. */
  readonly id?: string;
  readonly type: PromptType;
  /** Choices for `choice` and `multi`. */
  readonly options?: readonly string[];
  readonly default?: AnswerValue;
  /** Unanswered for this long → the default (or the run's policy). */
  readonly timeoutMs?: number;
  /** The question. */
  readonly message: string;
}

/** Severity of an annotation. */
export type AnnotationLevel = 'notice' | 'warning' | 'error';

/** A message attached to a place in a file (`::warning file=a.py,line=3::…`). */
export interface Annotation {
  readonly level: AnnotationLevel;
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly col?: number;
  readonly endLine?: number;
  readonly endColumn?: number;
  readonly title?: string;
}

/** Every command a stage can print, parsed and checked. */
export type StageCommand =
  | { readonly kind: 'progress'; readonly progress: Progress }
  | { readonly kind: 'prompt'; readonly prompt: PromptRequest }
  | { readonly kind: 'group'; readonly title: string }
  | { readonly kind: 'endGroup' }
  | { readonly kind: 'debug'; readonly message: string }
  | { readonly kind: 'annotation'; readonly annotation: Annotation }
  /** Hide this value from every log, event and message from now on. */
  | { readonly kind: 'addMask'; readonly value: string }
  /** Stop honouring commands until a line `::<token>::` appears. */
  | { readonly kind: 'stopCommands'; readonly token: string }
  /** A recognised command that is malformed or unsupported; shown as a warning, never acted on. */
  | { readonly kind: 'invalid'; readonly command: string; readonly reason: string };
