import type { AnswerValue, PromptType } from '../pipeline/model';

/**
 * The control a question printed by an ordinary library asks for, read from
 * the conventions these libraries print. The raw question stays the prompt's
 * message; this only chooses the control and what it starts with.
 */
export interface QuestionControl {
  readonly type: Extract<PromptType, 'text' | 'confirm' | 'choice'>;
  readonly options?: readonly string[];
  readonly default?: AnswerValue;
  /** For a confirm: the words the program takes for yes and no (`y`/`n`, `yes`/`no`). */
  readonly confirmWords?: readonly [string, string];
  /** For a choice: any other text is a valid answer too (Baton cannot know the program refuses it). */
  readonly allowOther?: boolean;
  /** The answer is a password: a secret input, masked everywhere. */
  readonly secret?: boolean;
}

/** What else the shell saw, besides the question text. */
export interface QuestionHints {
  /**
   * The program said it reads a password without echo control (Python's
   * `getpass` prints "Warning: Password input may be echoed." when stdin is
   * no terminal, as it never is for a stage).
   */
  readonly passwordReader?: boolean;
}

/** A trailing `[…]` or `(…)` group of a question, innermost text only. */
const TRAILING_GROUP = /\s*(\[([^[\]]*)\]|\(([^()]*)\))\s*$/;
/** `default: 3`, `default=3`, `Default 3`. */
const DEFAULT_WORD = /^default\s*[:=]?\s*(.*)$/i;
/** Words that name a secret answer, as a whole word in a question without options. */
const SECRET_WORDS = /\b(password|passphrase|passcode)\b/i;
const YES_NO: readonly (readonly [string, string])[] = [
  ['y', 'n'],
  ['yes', 'no'],
];

/**
 * Reads the conventions of `click`, `rich.prompt`, `inquirer`-style and
 * hand-written prompts: `[y/N]` or `(y/n)` → a confirm (a capital letter, or
 * a following `(y)`, is the default); `[a/b/c]` or `(a, b, c)` → a choice;
 * a last `(x)`, `[x]` or `[default: x]` → the default; a password → secret
 * text. Anything else is plain text. Pure and total: never throws.
 */
export function readQuestion(question: string, hints: QuestionHints = {}): QuestionControl {
  // The strip takes trailing spaces; leading ones are taken by TRAILING_GROUP's `\s*`.
  const groups = trailingGroups(question.replace(/[\s:?>]+$/, ''));
  // "Keep the password? [y/N]" asks no password: the words count only without options.
  const secret =
    hints.passwordReader === true || (groups.length === 0 && SECRET_WORDS.test(question));
  if (secret) return { type: 'text', secret: true };
  const [last, before] = [groups[0], groups[1]];
  if (last === undefined) return { type: 'text' };
  const main = before !== undefined && isList(before) ? before : last;
  const defaultText = main === last ? undefined : defaultOf(last);
  const confirm = confirmOf(main, defaultText);
  if (confirm !== undefined) return confirm;
  if (isList(main)) {
    const options = splitList(main);
    return {
      type: 'choice',
      options,
      allowOther: true,
      ...(defaultText === undefined ? {} : { default: pickOption(options, defaultText) }),
    };
  }
  const single = defaultOf(last);
  return single === undefined ? { type: 'text' } : { type: 'text', default: single };
}

/** The trailing groups, last first (`Pick [a/b] (a):` → `a`, `a/b`). */
function trailingGroups(text: string): string[] {
  const groups: string[] = [];
  let rest = text;
  for (let match = TRAILING_GROUP.exec(rest); match; match = TRAILING_GROUP.exec(rest)) {
    groups.push((match[2] ?? match[3] ?? '').trim());
    rest = rest.slice(0, match.index);
  }
  return groups;
}

function isList(group: string): boolean {
  return splitList(group).length >= 2;
}

function splitList(group: string): string[] {
  const separator = group.includes('/') ? '/' : group.includes('|') ? '|' : ',';
  const items = group.split(separator).map((item) => item.trim());
  return items.every((item) => item !== '') ? items : [];
}

/** The default a group names (`3`, `default: 3`), or undefined for an empty group. */
function defaultOf(group: string): string | undefined {
  // No spaces to trim: the group is trimmed, and `\s*` takes those after `default:`.
  const text = DEFAULT_WORD.exec(group)?.[1] ?? group;
  return text === '' || isList(text) ? undefined : text;
}

function confirmOf(group: string, defaultText: string | undefined): QuestionControl | undefined {
  const items = splitList(group);
  if (items.length !== 2) return undefined;
  const [yes, no] = items as [string, string];
  const words = YES_NO.find(([y, n]) => y === yes.toLowerCase() && n === no.toLowerCase());
  if (words === undefined) return undefined;
  const confirmWords = words;
  // `words` were found without case, so `yes` and `no` differ: one capital names the default.
  const fromCase = yes === yes.toUpperCase() && no !== no.toUpperCase();
  const noFromCase = no === no.toUpperCase() && yes !== yes.toUpperCase();
  let value: boolean | undefined = fromCase ? true : noFromCase ? false : undefined;
  const named = defaultText?.toLowerCase();
  if (named === words[0] || named === 'yes' || named === 'true') value = true;
  if (named === words[1] || named === 'no' || named === 'false') value = false;
  return { type: 'confirm', confirmWords, ...(value === undefined ? {} : { default: value }) };
}

/** The option a default names, matched without case when not exact. */
function pickOption(options: readonly string[], text: string): string {
  return (
    options.find((option) => option === text) ??
    options.find((option) => option.toLowerCase() === text.toLowerCase()) ??
    text
  );
}
