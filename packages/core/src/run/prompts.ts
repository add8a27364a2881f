import type { AnswerValue } from '../pipeline/model';
import { renderAnswer } from '../pipeline/expressions';
import type { Draft } from './draft';
import { stageOf, updateStage, writable } from './draft';
import { inputPromptKey } from './inputs';
import type { InputPromptState, PromptState, StagePromptState } from './state';

/**
 * Closes an open prompt: removes it, tells the shell (`closePrompt`), stops
 * its deadline timer, and puts its stage back to `running` when it has no
 * other prompt open.
 */
export function closePromptIn(draft: Draft, key: string, by: string, answer?: AnswerValue): void {
  const prompt = draft.prompts[key];
  if (prompt === undefined) return;
  delete writable(draft, 'prompts')[key];
  draft.effects.push(
    answer === undefined
      ? { type: 'closePrompt', promptId: key, by }
      : { type: 'closePrompt', promptId: key, answer, by },
  );
  if (prompt.deadline !== undefined) {
    draft.effects.push({ type: 'cancelTimer', timer: { kind: 'promptDeadline', promptId: key } });
  }
  if (prompt.kind === 'stage') resumeStageIfClear(draft, prompt.stage);
}

function resumeStageIfClear(draft: Draft, stage: string): void {
  const stillOpen = Object.values(draft.prompts).some(
    (p) => p.kind === 'stage' && p.stage === stage,
  );
  if (stillOpen) return;
  // Stryker disable next-line ConditionalExpression: a stage with an open prompt is always waiting (every event that moves it on closes its prompts first); the check guards against reviving a stage that is not.
  if (stageOf(draft, stage).status === 'waiting') {
    updateStage(draft, stage, (s) => {
      s.status = 'running';
    });
  }
}

/** Closes every open prompt of one stage (it exited or is being killed). */
export function closeStagePrompts(draft: Draft, stage: string, by: string): void {
  for (const prompt of Object.values(draft.prompts)) {
    if (prompt.kind === 'stage' && prompt.stage === stage) closePromptIn(draft, prompt.id, by);
  }
}

/** Shows a prompt: records it as open, asks the shell, and arms its deadline. */
export function showPrompt(draft: Draft, prompt: PromptState): void {
  writable(draft, 'prompts')[prompt.id] = prompt;
  draft.effects.push({ type: 'askUser', prompt });
  if (prompt.deadline !== undefined) {
    draft.effects.push({
      type: 'startTimer',
      timer: { kind: 'promptDeadline', promptId: prompt.id },
      at: prompt.deadline,
    });
  }
}

/**
 * Writes an answer to a stage's stdin the way the stage protocol expects:
 * rendered, one line; a confirm as the words the program takes, when known.
 */
export function writeAnswer(draft: Draft, prompt: StagePromptState, value: AnswerValue): void {
  const words = prompt.confirmWords;
  const text =
    typeof value === 'boolean' && words !== undefined
      ? value
        ? words[0]
        : words[1]
      : renderAnswer(value);
  const { stage, attempt } = prompt;
  draft.effects.push({ type: 'writeStdin', stage, attempt, text: `${text}\n` });
}

/**
 * Applies a valid answer to an open prompt. An input answer becomes the
 * input's value; a stage answer goes to the stage's stdin and, unless it is a
 * default, is recorded for reuse by later attempts.
 */
export function applyAnswer(
  draft: Draft,
  prompt: PromptState,
  value: AnswerValue,
  by: string,
): void {
  if (prompt.kind === 'input') {
    writable(draft, 'inputs')[prompt.input] = value;
  } else {
    // A secret is stored masked, so a recorded one would give later attempts `***`.
    if (by !== 'default' && prompt.secret !== true) {
      writable(draft, 'answers')[prompt.id] = { value, attempt: prompt.attempt, by, at: draft.at };
    }
    writeAnswer(draft, prompt, value);
    updateStage(draft, prompt.stage, (s) => {
      s.lastActivityAt = draft.at;
    });
  }
  closePromptIn(draft, prompt.id, by, value);
}

/**
 * Gives every pipeline input without a value one: interactive runs open a
 * prompt per input (in declaration order); non-interactive runs take the
 * defaults. Returns the ids of inputs that a non-interactive run cannot fill.
 */
export function openInputPrompts(draft: Draft): string[] {
  const unfillable: string[] = [];
  for (const spec of draft.run.pipeline.inputs) {
    const key = inputPromptKey(spec.id);
    if (Object.hasOwn(draft.inputs, spec.id)) continue;
    // Stryker disable next-line ConditionalExpression: never true today (a run starts without prompts, and every way a run stops closes them before a resume); it keeps a second call from asking twice.
    if (draft.prompts[key] !== undefined) continue;
    if (!draft.run.interactive) {
      if (spec.default === undefined) unfillable.push(spec.id);
      else writable(draft, 'inputs')[spec.id] = spec.default;
      continue;
    }
    const prompt: InputPromptState = {
      kind: 'input',
      id: key,
      input: spec.id,
      message: spec.prompt,
      type: spec.type,
      openedAt: draft.at,
      ...(spec.options === undefined ? {} : { options: spec.options }),
      ...(spec.default === undefined ? {} : { default: spec.default }),
      ...(spec.timeoutMs === undefined ? {} : { deadline: draft.at + spec.timeoutMs }),
      ...(spec.secret === true ? { secret: true } : {}),
    };
    showPrompt(draft, prompt);
  }
  return unfillable;
}

/** The plain-words reason a non-interactive run cannot start without these inputs. */
export function missingInputsReason(ids: readonly string[]): string {
  const list = ids.map((id) => `'${id}'`).join(', ');
  const flags = ids.map((id) => `--input ${id}=…`).join(' ');
  return `input ${list} ${ids.length === 1 ? 'has' : 'have'} no value and no default, and the run is not interactive (give ${flags})`;
}
