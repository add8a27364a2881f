/**
 * The line a stage's log gets when one of its questions is answered, so the
 * log tells who answered what: "[baton] answered `v1.2` in the editor". A
 * secret answer is never written, only that it was given.
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

/** The log line of an answer (with its newline); `secret` hides the value. */
export function answerNote(value: AnswerValue, by: string, secret: boolean): string {
  const what = secret ? 'a secret answer' : `\`${shown(value)}\``;
  return `[baton] answered ${what} ${whereFrom(by)}\n`;
}
