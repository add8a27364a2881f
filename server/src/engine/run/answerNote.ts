/**
 * The lines a log gets when a question is answered, so the log tells who
 * answered what: "[baton] answered `v1.2` in the editor" in a stage's log for
 * its own questions, "[baton] input `version`: answered `v1.2` in the editor"
 * in the run's log for the pipeline's inputs. A secret answer is never
 * written, only that it was given.
 */
import type { AnswerValue } from '@baton/core';

/** Where an answer came from, in words, by the `by` the answer carried. */
function whereFrom(by: string): string {
  if (by === 'rpc') return 'in the editor';
  if (by === 'cli') return 'in the terminal';
  if (by === 'default') return 'with the default';
  if (by === 'recorded') return 'with the answer recorded earlier';
  if (by.startsWith('baton answer')) return 'with `baton answer`';
  return `by ${by}`;
}

/** The answer as it reads in a log: a list joined with commas, yes/no for a confirm. */
function shown(value: AnswerValue): string {
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

/** The answer as a log names it: in backquotes, or only that it was a secret. */
function what(value: AnswerValue, secret: boolean): string {
  return secret ? 'a secret answer' : `\`${shown(value)}\``;
}

/** The stage log line of an answer (with its newline); `secret` hides the value. */
export function answerNote(value: AnswerValue, by: string, secret: boolean): string {
  return `[baton] answered ${what(value, secret)} ${whereFrom(by)}\n`;
}

/** The run log line of an answer to the pipeline input `input` (with its newline). */
export function inputAnswerNote(
  input: string,
  value: AnswerValue,
  by: string,
  secret: boolean,
): string {
  return `[baton] input \`${input}\`: answered ${what(value, secret)} ${whereFrom(by)}\n`;
}

/** The run log line of an input given with the request that started (or resumed) the run (with its newline). */
export function givenInputNote(
  input: string,
  value: AnswerValue,
  by: string,
  secret: boolean,
  when: 'started' | 'resumed' = 'started',
): string {
  const secretWords = secret ? 'a secret value' : `\`${shown(value)}\``;
  return `[baton] input \`${input}\`: ${secretWords}, given when the run was ${when} ${whereFrom(by)}\n`;
}
