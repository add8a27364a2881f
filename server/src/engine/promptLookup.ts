import { parseAnswerText, validateAnswer } from '@baton/core';
import type { AnswerValue, PromptState, RunState } from '@baton/core';
import { EngineError } from './engineErrors';

/** An answer as given: a typed value (RPC) or text someone typed (CLI). */
export type GivenAnswer = { readonly value: AnswerValue } | { readonly text: string };

/**
 * Finds an open prompt by its key (`inputs.pillars`, `report/publish`) or by
 * its short name (`pillars`, `publish`) when that names exactly one prompt.
 */
export function findPrompt(state: RunState, promptId: string): PromptState | undefined {
  const exact = state.prompts[promptId] ?? state.prompts[`inputs.${promptId}`];
  if (exact) return exact;
  const byName = Object.values(state.prompts).filter(
    (prompt) => (prompt.kind === 'stage' ? prompt.name : prompt.input) === promptId,
  );
  return byName.length === 1 ? byName[0] : undefined;
}

/** The open prompts of a run as `id (type): message` lines, for error messages. */
export function listOpenPrompts(state: RunState): string {
  const prompts = Object.values(state.prompts);
  if (prompts.length === 0) return 'the run has no open prompt';
  return `open prompts: ${prompts.map((p) => `${p.id} (${p.type})`).join(', ')}`;
}

/** The typed value of an answer to `prompt`, or an `invalidInput` error saying what is wrong. */
export function typedAnswer(prompt: PromptState, answer: GivenAnswer): AnswerValue {
  if ('text' in answer) {
    const parsed = parseAnswerText(prompt, answer.text);
    if (!parsed.ok)
      throw new EngineError('invalidInput', `answer to ${prompt.id}: ${parsed.error}`);
    return parsed.value;
  }
  const problem = validateAnswer(prompt, answer.value);
  if (problem !== undefined)
    throw new EngineError('invalidInput', `answer to ${prompt.id}: ${problem}`);
  return answer.value;
}
