import type { AnswerValue, PromptInfo } from '@baton/protocol';
import { formatClock, formatTimeLeft } from './format';

/** Most options a notification offers as buttons; a longer list is answered in the picker. */
export const MAX_OPTION_BUTTONS = 3;

/** A button of a question's notification: an answer, or (without `value`) "Answer…" for the picker. */
export interface NoticeButton {
  readonly label: string;
  readonly value?: AnswerValue;
}

/** What a question's notification says. */
export interface PromptNotice {
  /** Who asks and the whole question: `Literature review #14 › fetch asks: Overwrite the results?`. */
  readonly headline: string;
  readonly buttons: readonly NoticeButton[];
  /** `4m 10s left`, when the question has a deadline. */
  readonly timeLeft?: string;
  /**
   * The notification's whole text: the headline, then the time left and the
   * clock time it runs out (`… · 4m 10s left, until 14:32:05`). A message
   * cannot be redrawn, so the clock time keeps it true as the minutes pass.
   */
  readonly text: string;
}

/**
 * The notification of an open question: its whole text, buttons that answer
 * at once where the answer is one click (Yes/No for a confirm, up to three
 * options of a choice), "Answer…" otherwise (text, numbers, secrets, several
 * picks, long lists, a choice that also takes other text), and the time left.
 */
export function promptNotice(runLabel: string, prompt: PromptInfo, now: number): PromptNotice {
  const who = prompt.stage !== undefined ? `${runLabel} › ${prompt.stage}` : runLabel;
  const headline = `${who} asks: ${prompt.message}`;
  const answer: NoticeButton = { label: 'Answer…' };
  let buttons: NoticeButton[] = [answer];
  if (prompt.type === 'confirm') {
    buttons = [
      { label: prompt.default === true ? 'Yes (default)' : 'Yes', value: true },
      { label: prompt.default === false ? 'No (default)' : 'No', value: false },
    ];
  } else if (
    prompt.type === 'choice' &&
    prompt.allowOther !== true &&
    prompt.options !== undefined &&
    prompt.options.length <= MAX_OPTION_BUTTONS
  ) {
    buttons = prompt.options.map((option) => ({
      label: option === prompt.default ? `${option} (default)` : option,
      value: option,
    }));
  }
  if (prompt.deadline === undefined) return { headline, buttons, text: headline };
  const timeLeft = formatTimeLeft(prompt.deadline, now);
  const text = `${headline} · ${timeLeft}, until ${formatClock(prompt.deadline, now)}`;
  return { headline, buttons, timeLeft, text };
}
