/**
 * Checks the properties of a `::prompt` command:
 * `::prompt id=go,type=choice,options=yes|no,default=no,timeout=60::Overwrite?`.
 * A prompt that cannot be shown correctly (unknown type, a default that is
 * not one of the options, a bad timeout) is reported as invalid rather than
 * guessed at, so the stage's author sees the mistake in the log.
 */
import type { AnswerValue, PromptType } from '@baton/core';
import type { PromptRequest, StageCommand } from './stageCommand';

const PROMPT_TYPES: readonly PromptType[] = ['choice', 'multi', 'text', 'number', 'confirm'];
const ID_PATTERN = /^[A-Za-z0-9_.-]{1,100}$/;
const CONFIRM_WORDS: Readonly<Record<string, boolean>> = {
  yes: true,
  y: true,
  true: true,
  '1': true,
  no: false,
  n: false,
  false: false,
  '0': false,
};

/** Turns the properties and message of a `::prompt` line into a prompt, or an invalid command. */
export function parsePromptCommand(
  properties: Readonly<Record<string, string>>,
  message: string,
): StageCommand {
  const result = buildPrompt(properties, message);
  return typeof result === 'string'
    ? { kind: 'invalid', command: 'prompt', reason: result }
    : { kind: 'prompt', prompt: result };
}

/** Returns the prompt, or a sentence saying what is wrong. */
function buildPrompt(
  properties: Readonly<Record<string, string>>,
  message: string,
): PromptRequest | string {
  const { id, options: optionText, timeout } = properties;
  if (id !== undefined && !ID_PATTERN.test(id)) {
    return `id "${id}" may only hold letters, digits, '_', '.' and '-'`;
  }
  const options = optionText === undefined ? undefined : splitOptions(optionText);
  const typeText = (properties['type'] ?? (options ? 'choice' : 'text')).toLowerCase();
  const type = PROMPT_TYPES.find((t) => t === typeText);
  if (!type) return `type "${typeText}" is not one of ${PROMPT_TYPES.join(', ')}`;
  if ((type === 'choice' || type === 'multi') && (!options || options.length === 0)) {
    return `a ${type} prompt needs options, separated by '|'`;
  }
  const prompt: { -readonly [K in keyof PromptRequest]: PromptRequest[K] } = { type, message };
  if (id !== undefined) prompt.id = id;
  if (options && (type === 'choice' || type === 'multi')) prompt.options = options;
  if (properties['default'] !== undefined) {
    const value = parseDefault(type, properties['default'], options);
    if (typeof value === 'object' && 'error' in value) return value.error;
    prompt.default = value;
  }
  if (timeout !== undefined) {
    const timeoutMs = parseTimeout(timeout);
    if (timeoutMs === undefined) {
      return `timeout "${timeout}" is neither seconds nor a duration such as 90s, 5m or 1h30m`;
    }
    prompt.timeoutMs = timeoutMs;
  }
  return prompt;
}

function splitOptions(text: string): string[] {
  return text
    .split('|')
    .map((option) => option.trim())
    .filter((option) => option !== '');
}

/** Converts a default to the prompt's answer type, checking it against the options. */
function parseDefault(
  type: PromptType,
  text: string,
  options: readonly string[] | undefined,
): AnswerValue | { error: string } {
  switch (type) {
    case 'text':
      return text;
    case 'number': {
      const value = text.trim() === '' ? NaN : Number(text);
      return Number.isFinite(value) ? value : { error: `default "${text}" is not a number` };
    }
    case 'confirm': {
      const value = CONFIRM_WORDS[text.trim().toLowerCase()];
      return value ?? { error: `default "${text}" is not yes or no` };
    }
    case 'choice':
      return options?.includes(text.trim())
        ? text.trim()
        : { error: `default "${text}" is not one of the options` };
    case 'multi': {
      const chosen = splitOptions(text);
      const unknown = chosen.find((choice) => !options?.includes(choice));
      return unknown === undefined
        ? chosen
        : { error: `default "${unknown}" is not one of the options` };
    }
  }
}

const DURATION_UNITS: Readonly<Record<string, number>> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
};

/**
 * A prompt timeout in milliseconds: a plain number means seconds (`60`),
 * otherwise a duration of `h`, `m`, `s` and `ms` parts (`90s`, `1h30m`, `500ms`).
 */
export function parseTimeout(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed.length > 50) return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  if (!/^(\d+(\.\d+)?(ms|h|m|s))+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, , unit] of trimmed.matchAll(/(\d+(\.\d+)?)(ms|h|m|s)/g)) {
    total += Number(amount) * (DURATION_UNITS[unit ?? ''] ?? NaN);
  }
  const rounded = Math.round(total);
  return Number.isSafeInteger(rounded) ? rounded : undefined;
}
