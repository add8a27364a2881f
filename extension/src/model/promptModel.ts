import type { AnswerValue, PromptInfo, WireInput } from '@baton/protocol';
import { formatTimeLeft } from './format';

/**
 * A question to answer in the editor: a stage prompt (`PromptInfo`) or a
 * pipeline input asked before a run starts.
 */
export type Question = Pick<
  PromptInfo,
  'message' | 'type' | 'options' | 'default' | 'secret' | 'deadline' | 'stage' | 'allowOther'
>;

/** The question a pipeline input asks. */
export function inputQuestion(input: WireInput): Question {
  return {
    message: input.prompt,
    type: input.type,
    ...(input.options !== undefined ? { options: input.options } : {}),
    ...(input.default !== undefined ? { default: input.default } : {}),
    ...(input.secret !== undefined ? { secret: input.secret } : {}),
  };
}

/** A choice row of a prompt's QuickPick. */
export interface AnswerChoice {
  readonly label: string;
  readonly description?: string;
  readonly picked: boolean;
  readonly value: AnswerValue;
}

/** The notification line: `‹pipeline› › ‹stage› asks: ‹question›` (`‹pipeline› asks: …` for an input). */
export function promptHeadline(pipelineName: string, prompt: Question): string {
  const who = prompt.stage !== undefined ? `${pipelineName} › ${prompt.stage}` : pipelineName;
  return `${who} asks: ${prompt.message}`;
}

/** The QuickPick/InputBox title: who asks, and the time left when the prompt has a deadline. */
export function promptTitle(pipelineName: string, prompt: Question, now: number): string {
  const who =
    prompt.stage !== undefined ? `${pipelineName} › ${prompt.stage}` : `${pipelineName} (input)`;
  return prompt.deadline !== undefined ? `${who} · ${formatTimeLeft(prompt.deadline, now)}` : who;
}

/** Whether a prompt is answered by picking (`choice`, `multi`, `confirm`) rather than typing. */
export function isPickPrompt(prompt: Question): boolean {
  return prompt.type === 'choice' || prompt.type === 'multi' || prompt.type === 'confirm';
}

/**
 * The rows a picking prompt offers. The default is marked `(default)` and
 * pre-selected; for `multi` every default option is pre-selected.
 */
export function answerChoices(prompt: Question): AnswerChoice[] {
  if (prompt.type === 'confirm') {
    return [true, false].map((value) =>
      choice(value ? 'Yes' : 'No', value, prompt.default === value),
    );
  }
  const defaults = Array.isArray(prompt.default) ? prompt.default : [prompt.default];
  return (prompt.options ?? []).map((option) => choice(option, option, defaults.includes(option)));
}

function choice(label: string, value: AnswerValue, isDefault: boolean): AnswerChoice {
  return isDefault
    ? { label, value, picked: true, description: '(default)' }
    : { label, value, picked: false };
}

/** The text pre-filled in a typing prompt's InputBox: its default, if any. */
export function initialText(prompt: Question): string | undefined {
  if (prompt.secret === true || prompt.default === undefined) return undefined;
  return String(prompt.default);
}

/** Checks typed text against the prompt's type; returns an error message, or `undefined` when valid. */
export function validateTypedAnswer(prompt: Question, text: string): string | undefined {
  if (prompt.type !== 'number') return undefined;
  const trimmed = text.trim();
  if (trimmed === '') return 'Enter a number.';
  return Number.isFinite(Number(trimmed)) ? undefined : `"${trimmed}" is not a number.`;
}

/** Turns valid typed text into the answer value the server expects. */
export function typedAnswer(prompt: Question, text: string): AnswerValue {
  return prompt.type === 'number' ? Number(text.trim()) : text;
}

/**
 * When a question is asked: `beforeRun` for a pipeline's inputs (Escape then
 * cancels starting the run), `duringRun` for a question of a running stage
 * (Escape only hides the picker; the question stays open in the tree).
 */
export type AskingWhen = 'beforeRun' | 'duringRun';

/** The placeholder under a prompt's input: what is expected and what Escape really does then. */
export function promptPlaceholder(prompt: Question, when: AskingWhen = 'duringRun'): string {
  const leave =
    when === 'beforeRun'
      ? 'Escape cancels the run'
      : 'Escape leaves the question open to answer later';
  switch (prompt.type) {
    case 'multi':
      return `Pick any number of options, then press Enter (${leave})`;
    case 'number':
      return `Type a number (${leave})`;
    case 'text':
      return `Type the answer (${leave})`;
    default:
      return `Pick one (${leave})`;
  }
}
