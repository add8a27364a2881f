import type { AnswerValue, PromptType } from '../pipeline/model';

/** What an answer is checked against: an input spec or an open prompt. */
export interface AnswerShape {
  readonly type: PromptType;
  readonly options?: readonly string[];
  /** A choice that also takes any other text (a question read from a library's conventions). */
  readonly allowOther?: boolean | undefined;
}

/** The result of reading typed text as an answer. */
export type ParsedAnswer =
  | { readonly ok: true; readonly value: AnswerValue }
  | { readonly ok: false; readonly error: string };

function listOptions(options: readonly string[] | undefined): string {
  return (options ?? []).map((o) => `'${o}'`).join(', ');
}

/**
 * Checks that `value` answers a prompt of this shape: text is a string, choice
 * one of the options, multi a subset of the options without repeats, number a
 * finite number, confirm a boolean. Returns the problem in plain words, or
 * undefined when the value is valid.
 */
export function validateAnswer(prompt: AnswerShape, value: unknown): string | undefined {
  switch (prompt.type) {
    case 'text':
      return typeof value === 'string' ? undefined : 'expected text';
    case 'choice':
      if (typeof value !== 'string') return `expected one of ${listOptions(prompt.options)}`;
      return prompt.options?.includes(value) || prompt.allowOther === true
        ? undefined
        : `'${value}' is not one of ${listOptions(prompt.options)}`;
    case 'multi':
      return validateMulti(prompt, value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
        ? undefined
        : 'expected a finite number';
    case 'confirm':
      return typeof value === 'boolean' ? undefined : 'expected yes or no (a boolean)';
    default: {
      const never: never = prompt.type;
      return `unknown prompt type ${String(never)}`;
    }
  }
}

function validateMulti(prompt: AnswerShape, value: unknown): string | undefined {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    return `expected a list of options from ${listOptions(prompt.options)}`;
  }
  const unknown = value.filter((v) => !prompt.options?.includes(v));
  if (unknown.length > 0) {
    return `${listOptions(unknown)} ${unknown.length === 1 ? 'is' : 'are'} not among ${listOptions(prompt.options)}`;
  }
  if (new Set(value).size !== value.length) return 'an option is listed more than once';
  return undefined;
}

const YES = ['y', 'yes', 'true', 'on', '1'];
const NO = ['n', 'no', 'false', 'off', '0'];

/**
 * Reads text someone typed (on the command line, in a terminal or an input
 * box) as a typed answer: `y`/`yes`/`true` and `n`/`no`/`false` for confirm,
 * comma-separated options for multi, an option or its 1-based number for
 * choice, a decimal number for number; text stays as typed. Options match
 * exactly first, then ignoring case when that is unambiguous.
 */
export function parseAnswerText(prompt: AnswerShape, text: string): ParsedAnswer {
  switch (prompt.type) {
    case 'text':
      return { ok: true, value: text };
    case 'choice': {
      const matched = matchOption(prompt.options ?? [], text.trim());
      return matched.ok || prompt.allowOther !== true ? matched : { ok: true, value: text };
    }
    case 'multi':
      return parseMulti(prompt.options ?? [], text);
    case 'number': {
      const trimmed = text.trim();
      const value = Number(trimmed);
      return trimmed !== '' && Number.isFinite(value)
        ? { ok: true, value }
        : { ok: false, error: `'${text}' is not a number` };
    }
    case 'confirm':
      return parseConfirm(text);
    default: {
      const never: never = prompt.type;
      return { ok: false, error: `unknown prompt type ${String(never)}` };
    }
  }
}

function parseConfirm(text: string): ParsedAnswer {
  const word = text.trim().toLowerCase();
  if (YES.includes(word)) return { ok: true, value: true };
  if (NO.includes(word)) return { ok: true, value: false };
  return { ok: false, error: `'${text}' is not yes or no (answer y or n)` };
}

function matchOption(options: readonly string[], text: string): ParsedAnswer {
  if (options.includes(text)) return { ok: true, value: text };
  const folded = options.filter((o) => o.toLowerCase() === text.toLowerCase());
  if (folded.length === 1 && folded[0] !== undefined) return { ok: true, value: folded[0] };
  if (/^[1-9]\d*$/.test(text)) {
    const byNumber = options[Number(text) - 1];
    if (byNumber !== undefined) return { ok: true, value: byNumber };
  }
  return { ok: false, error: `'${text}' is not one of ${listOptions(options)}` };
}

function parseMulti(options: readonly string[], text: string): ParsedAnswer {
  const picked: string[] = [];
  for (const part of text.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const match = matchOption(options, item);
    if (!match.ok) return match;
    const value = match.value as string;
    if (!picked.includes(value)) picked.push(value);
  }
  return { ok: true, value: picked };
}
