import type { AnswerValue, BatonEvent, PromptInfo } from '@baton/protocol';

/** A question a stage asked that is closed now, with the answer it got (for the stage's tooltip). */
export interface AnsweredPrompt {
  readonly promptId: string;
  readonly stage: string;
  readonly message: string;
  /** Absent for a secret answer. */
  readonly answer?: AnswerValue;
  readonly secret: boolean;
  /** Who closed it: `rpc` (the editor), `cli`, `default`, `cancel`, … */
  readonly by: string;
}

/** Who closes a prompt without answering it (the run or stage ended). */
const UNANSWERED_BY = new Set([
  'cancel',
  'interrupted',
  'runFailed',
  'exited',
  'timeout',
  'idle',
  'unanswered',
]);

/**
 * The record of a stage prompt that was just answered; undefined for an input
 * (not a stage's) and for a prompt closed without an answer. A secret answer
 * comes without its value.
 */
export function answeredPrompt(
  prompt: PromptInfo,
  close: { readonly answer?: AnswerValue; readonly by: string },
): AnsweredPrompt | undefined {
  if (prompt.stage === undefined) return undefined;
  if (close.answer === undefined && (prompt.secret !== true || UNANSWERED_BY.has(close.by)))
    return undefined;
  return {
    promptId: prompt.promptId,
    stage: prompt.stage,
    message: prompt.message,
    ...(close.answer !== undefined ? { answer: close.answer } : {}),
    secret: prompt.secret === true,
    by: close.by,
  };
}

/** The latest answered question of each stage found in a run's recent events (a snapshot's). */
export function answeredInEvents(
  events: readonly BatonEvent[],
): Readonly<Record<string, AnsweredPrompt>> {
  const opened = new Map<string, PromptInfo>();
  const answered: Record<string, AnsweredPrompt> = {};
  for (const event of events) {
    if (event.kind === 'promptOpened') opened.set(event.prompt.promptId, event.prompt);
    if (event.kind !== 'promptClosed') continue;
    const prompt = opened.get(event.promptId);
    const entry = prompt && answeredPrompt(prompt, event);
    if (entry) answered[entry.stage] = entry;
  }
  return answered;
}

/** Who gave an answer, in words: `in the editor`, `in the terminal`, `by default`, … */
export function answeredBy(by: string): string {
  switch (by) {
    case 'rpc':
      return 'in the editor';
    case 'cli':
      return 'in the terminal';
    case 'default':
      return 'by its default';
    case 'recorded':
      return 'with the answer recorded earlier';
    default:
      return by.startsWith('baton answer') ? 'with `baton answer`' : `by ${by}`;
  }
}

/**
 * What a click on a stale notification button says: the question is closed,
 * and, when the run's view knows, how (`answered \`red\` with \`baton answer\``).
 */
export function closedQuestionText(answered: AnsweredPrompt | undefined): string {
  if (answered === undefined)
    return 'That question is no longer open: it was already answered (here, in a terminal or another window), took its default or timed out.';
  const value = answered.secret
    ? 'a secret answer'
    : answered.answer === undefined
      ? 'an answer'
      : `\`${Array.isArray(answered.answer) ? answered.answer.join(', ') : String(answered.answer)}\``;
  return `That question is no longer open: it was answered ${value} ${answeredBy(answered.by)}.`;
}
