import { readQuestion } from '@baton/core';
import type { QuestionControl } from '@baton/core';
import type { StagePrompt } from '../../output/stageOutput';

/** What a question read from a library's conventions adds to a prompt. */
export type QuestionFlags = Partial<
  Pick<QuestionControl, 'secret' | 'confirmWords' | 'allowOther'>
>;

/**
 * The message of a question the stage never printed: it reads stdin having
 * printed nothing (bash's `read -p` shows its prompt only on a terminal).
 */
export const UNPRINTED_QUESTION =
  'The stage is waiting for a line on its input, without printing a question (a shell `read -p` prompt shows only on a terminal).';

/** What Python's getpass prints on stderr when it cannot turn echo off (stdin is no terminal). */
const GETPASS_WARNING = 'Password input may be echoed';

/**
 * The prompt for a question nobody declared (a bare `input()`, `rich.prompt`,
 * `click.prompt`, `getpass`, a shell `read`): the question as printed, with
 * the control the library's conventions ask for (see `readQuestion`). A
 * getpass warning among the last lines makes the answer a secret. An empty
 * question is one the stage read for without printing it; `silentRead` says
 * whether the shell reading it has a `read -s` (see `shellReadsSilently`),
 * which makes that answer a secret too.
 */
export function bareQuestionPrompt(
  id: string,
  question: string,
  recentLines: readonly string[],
  silentRead = false,
): StagePrompt & QuestionFlags {
  const passwordReader =
    (question === '' && silentRead) ||
    recentLines.slice(-4).some((line) => line.includes(GETPASS_WARNING));
  const { type, options, default: value, ...flags } = readQuestion(question, { passwordReader });
  return {
    id,
    type,
    message: question === '' ? UNPRINTED_QUESTION : question,
    ...(options === undefined ? {} : { options }),
    ...(value === undefined ? {} : { default: value }),
    ...flags,
  };
}
