import type * as InquirerModule from '@inquirer/prompts' with { 'resolution-mode': 'import' };
import type { AnswerValue, PromptState } from '@baton/core';

/** How an inline prompt ended. */
export type AskOutcome =
  | { readonly kind: 'answered'; readonly value: AnswerValue }
  /** Closed elsewhere (answered by `baton answer`, timed out, stage exited). */
  | { readonly kind: 'aborted' }
  /** The user pressed Ctrl-C in the prompt. */
  | { readonly kind: 'interrupted' };

interface AskContext extends AskStreams {
  readonly signal: AbortSignal;
  readonly clearPromptOnDone: boolean;
}

/** Where a question is read from and drawn to; the process's terminal when left out. */
export interface AskStreams {
  readonly input?: NodeJS.ReadableStream;
  readonly output?: NodeJS.WritableStream;
}

/** The "Other…" row of a choice that takes any text; no option can equal it. */
const OTHER = '\u0000other';

function label(prompt: PromptState): string {
  const who = prompt.kind === 'stage' ? `[${prompt.stage}] ` : '';
  return `${who}${prompt.message}`;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : '';
}

/** Asks with the widget that fits the prompt's type; the default is preselected. */
async function askByType(
  inquirer: typeof InquirerModule,
  prompt: PromptState,
  context: AskContext,
): Promise<AnswerValue> {
  const message = label(prompt);
  const options = prompt.options ?? [];
  const fallback = prompt.default;
  switch (prompt.type) {
    case 'choice': {
      // A choice read from a printed question also takes other text (the program judges it).
      const other = prompt.allowOther === true ? [{ value: OTHER, name: 'Other…' }] : [];
      const picked = await inquirer.select(
        {
          message,
          choices: [...options.map((o) => ({ value: o, name: o })), ...other],
          ...(typeof fallback === 'string' ? { default: fallback } : {}),
        },
        context,
      );
      return picked === OTHER ? inquirer.input({ message }, context) : picked;
    }
    case 'multi': {
      const chosen = Array.isArray(fallback) ? fallback : [];
      const choices = options.map((o) => ({ value: o, name: o, checked: chosen.includes(o) }));
      return inquirer.checkbox({ message, choices }, context);
    }
    case 'confirm':
      return inquirer.confirm(
        { message, ...(typeof fallback === 'boolean' ? { default: fallback } : {}) },
        context,
      );
    case 'number': {
      const config = {
        message,
        required: true,
        ...(typeof fallback === 'number' ? { default: fallback } : {}),
      };
      return (await inquirer.number(config, context)) ?? 0;
    }
    case 'text':
      return prompt.secret === true
        ? inquirer.password({ message, mask: '*' }, context)
        : inquirer.input(
            { message, ...(typeof fallback === 'string' ? { default: fallback } : {}) },
            context,
          );
    default: {
      const never: never = prompt.type;
      throw new Error(`unknown prompt type ${String(never)}`);
    }
  }
}

/**
 * Asks one prompt in the terminal with @inquirer/prompts: arrow-key lists for
 * choice and multi, checked input for numbers, yes/no for confirm, a hidden
 * field for secrets. `signal` aborts the question when someone else closes the prompt.
 */
export async function askInline(
  prompt: PromptState,
  signal: AbortSignal,
  streams: AskStreams = {},
): Promise<AskOutcome> {
  // @inquirer/prompts is an ES module; a dynamic import loads it from CommonJS.
  const inquirer = await import('@inquirer/prompts');
  try {
    const value = await askByType(inquirer, prompt, {
      signal,
      clearPromptOnDone: false,
      ...streams,
    });
    return { kind: 'answered', value };
  } catch (error) {
    if (errorName(error) === 'ExitPromptError') return { kind: 'interrupted' };
    if (errorName(error) === 'AbortPromptError' || signal.aborted) return { kind: 'aborted' };
    throw error;
  }
}
