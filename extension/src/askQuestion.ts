import type * as vscode from 'vscode';
import type { AnswerValue } from '@baton/protocol';
import type { AskingWhen, Question } from './model/promptModel';
import {
  answerChoices,
  initialText,
  promptPlaceholder,
  typedAnswer,
  validateTypedAnswer,
} from './model/promptModel';
import { askText } from './vscode/inputBox';
import { pickMany, pickOne } from './vscode/quickPick';
import type { PickItem } from './vscode/quickPick';

/** The "Other…" row of a choice that takes any text. */
const OTHER: unique symbol = Symbol('other');

/**
 * Asks one question the way its type wants: a QuickPick for choice, multi
 * and confirm (the default marked and pre-selected), an InputBox that
 * validates for text and number. Resolves the answer, or `undefined` when the
 * user dismissed it or `token` was cancelled.
 */
export async function askQuestion(
  question: Question,
  title: () => string,
  token?: vscode.CancellationToken,
  when: AskingWhen = 'duringRun',
): Promise<AnswerValue | undefined> {
  const common = {
    placeholder: promptPlaceholder(question, when),
    liveTitle: title,
    ...(token !== undefined ? { token } : {}),
  };
  switch (question.type) {
    case 'choice':
    case 'confirm': {
      // A choice read from a printed question also takes other text (the program judges it).
      const other: PickItem<typeof OTHER>[] =
        question.allowOther === true ? [{ label: 'Other…', value: OTHER }] : [];
      const picked = await pickOne<AnswerValue | typeof OTHER>(
        [...answerChoices(question), ...other],
        { ...common, placeholder: `${question.message} · ${common.placeholder}` },
      );
      if (picked !== OTHER) return picked;
      return askText({ ...common, prompt: question.message });
    }
    case 'multi':
      return pickMany(
        answerChoices(question).map((row) => ({ ...row, value: row.label })),
        { ...common, placeholder: `${question.message} · ${common.placeholder}` },
      );
    case 'text':
    case 'number': {
      const value = initialText(question);
      const text = await askText({
        ...common,
        prompt: question.message,
        password: question.secret === true,
        validate: (typed) => validateTypedAnswer(question, typed),
        ...(value !== undefined ? { value } : {}),
      });
      return text === undefined ? undefined : typedAnswer(question, text);
    }
  }
}
