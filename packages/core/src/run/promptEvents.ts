import { formatDuration } from '../pipeline/duration';
import { PROMPT_TYPES } from '../pipeline/validateInputs';
import type { AnswerValue } from '../pipeline/model';
import { validateAnswer } from './answers';
import { checkLiveAttempt, requestKill } from './attempts';
import type { Draft } from './draft';
import { stageOf, updateStage } from './draft';
import type { RunEventOf } from './events';
import { stagePromptKey } from './inputs';
import { applyAnswer, showPrompt, writeAnswer } from './prompts';
import { failRun } from './settle';
import type { PromptState, StagePromptState } from './state';

/** Why a prompt a stage printed is malformed, or undefined when it is usable. */
function checkPromptSpec(event: RunEventOf<'promptOpened'>): string | undefined {
  if (!PROMPT_TYPES.includes(event.promptType)) {
    return `prompt '${event.promptId}' of stage '${event.stage}' has an unknown type '${String(event.promptType)}' (use ${PROMPT_TYPES.join(', ')})`;
  }
  if (event.timeoutMs !== undefined && !(Number.isFinite(event.timeoutMs) && event.timeoutMs > 0)) {
    return `prompt '${event.promptId}' of stage '${event.stage}' has a bad timeout: ${event.timeoutMs}`;
  }
  const needsOptions = event.promptType === 'choice' || event.promptType === 'multi';
  if (needsOptions && (event.options === undefined || event.options.length === 0)) {
    return `prompt '${event.promptId}' of stage '${event.stage}' is a ${event.promptType} without options`;
  }
  if (event.default !== undefined) {
    const shape = { type: event.promptType, ...optionsOf(event), allowOther: event.allowOther };
    const problem = validateAnswer(shape, event.default);
    if (problem !== undefined) {
      return `prompt '${event.promptId}' of stage '${event.stage}' has a bad default: ${problem}`;
    }
  }
  return undefined;
}

function optionsOf(event: RunEventOf<'promptOpened'>): { options?: readonly string[] } {
  return event.options === undefined ? {} : { options: event.options };
}

function stagePromptOf(draft: Draft, event: RunEventOf<'promptOpened'>): StagePromptState {
  return {
    kind: 'stage',
    id: stagePromptKey(event.stage, event.promptId),
    stage: event.stage,
    attempt: event.attempt,
    name: event.promptId,
    message: event.message,
    type: event.promptType,
    openedAt: draft.at,
    ...optionsOf(event),
    ...(event.default === undefined ? {} : { default: event.default }),
    ...(event.timeoutMs === undefined ? {} : { deadline: draft.at + event.timeoutMs }),
    ...(event.secret === true ? { secret: true } : {}),
    ...(event.confirmWords === undefined ? {} : { confirmWords: event.confirmWords }),
    ...(event.allowOther === true ? { allowOther: true } : {}),
  };
}

/**
 * A running stage asked a question. An answer recorded by an earlier attempt
 * is reused at once; a non-interactive run takes the default, or kills the
 * stage when there is none (it would wait forever); otherwise the prompt is
 * shown and the stage waits.
 */
export function onPromptOpened(
  draft: Draft,
  event: RunEventOf<'promptOpened'>,
): string | undefined {
  const problem = checkLiveAttempt(draft, event.stage, event.attempt) ?? checkPromptSpec(event);
  if (problem !== undefined) return problem;
  const prompt = stagePromptOf(draft, event);
  if (stageOf(draft, event.stage).killRequested !== undefined) {
    return `stage '${event.stage}' is being stopped; its prompts are not asked`;
  }
  if (draft.prompts[prompt.id] !== undefined) return `prompt '${prompt.id}' is already open`;
  updateStage(draft, event.stage, (s) => {
    s.lastActivityAt = draft.at;
  });
  const recorded = draft.answers[prompt.id];
  if (
    recorded !== undefined &&
    recorded.attempt !== event.attempt &&
    validateAnswer(prompt, recorded.value) === undefined
  ) {
    answerUnshown(draft, prompt, recorded.value, 'recorded');
  } else if (!draft.run.interactive) {
    if (prompt.default !== undefined) answerUnshown(draft, prompt, prompt.default, 'default');
    else
      requestKill(
        draft,
        event.stage,
        'unanswered',
        unanswered(prompt, 'the run is not interactive'),
      );
  } else {
    updateStage(draft, event.stage, (s) => {
      s.status = 'waiting';
    });
    showPrompt(draft, prompt);
  }
  return undefined;
}

/** Answers a prompt nobody was shown: write the answer and report it closed. */
function answerUnshown(
  draft: Draft,
  prompt: StagePromptState,
  value: AnswerValue,
  by: string,
): void {
  writeAnswer(draft, prompt, value);
  draft.effects.push({ type: 'closePrompt', promptId: prompt.id, answer: value, by });
}

function unanswered(prompt: PromptState, why: string): string {
  return `prompt "${prompt.message}" needs an answer, but ${why} and it has no default`;
}

/** Someone answered an open prompt; a wrong-typed answer is rejected and the prompt stays open. */
export function onPromptAnswered(
  draft: Draft,
  event: RunEventOf<'promptAnswered'>,
): string | undefined {
  const prompt = draft.prompts[event.promptId];
  if (prompt === undefined) return `no prompt '${event.promptId}' is open`;
  const problem = validateAnswer(prompt, event.value);
  if (problem !== undefined) return `answer to '${event.promptId}' rejected: ${problem}`;
  applyAnswer(draft, prompt, event.value, event.by);
  return undefined;
}

/**
 * A prompt's deadline passed: the default answers it; without a default an
 * input fails the run and a stage prompt kills (and fails) its stage.
 */
export function onPromptDeadline(draft: Draft, promptId: string): string | undefined {
  const prompt = draft.prompts[promptId];
  if (prompt === undefined) return `prompt '${promptId}' is no longer open`;
  if (prompt.deadline === undefined || draft.at < prompt.deadline) {
    return `prompt '${promptId}' is not due to time out at ${draft.at}`;
  }
  if (prompt.default !== undefined) {
    applyAnswer(draft, prompt, prompt.default, 'default');
    return undefined;
  }
  const waited = formatDuration(prompt.deadline - prompt.openedAt);
  if (prompt.kind === 'input') {
    failRun(draft, `input '${prompt.input}' was not answered within ${waited} and has no default`);
  } else {
    requestKill(
      draft,
      prompt.stage,
      'unanswered',
      unanswered(prompt, `nobody answered within ${waited}`),
    );
  }
  return undefined;
}
