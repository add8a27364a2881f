import type { RunState } from '@baton/core';
import { isRunOwnerAlive } from '../store/lock';
import type { RunStore } from '../store/runStore';
import type { Clock } from './clock';
import { EngineError } from './engineErrors';
import type { GivenAnswer } from './promptLookup';
import { findPrompt, listOpenPrompts, typedAnswer } from './promptLookup';
import type { RunSession } from './run/runSession';

/** The run an answer is for, as the engine knows it. */
export interface AnswerTarget {
  readonly runId: string;
  /** Its live state when the engine owns it, else its last checkpoint. */
  readonly state: RunState;
  /** Its session when the engine owns it. */
  readonly session: RunSession | undefined;
}

/**
 * Answers an open prompt of `target`, found by its key or short name and
 * typed for it (`promptLookup.ts`). A run with a session here has the answer
 * applied at once (a secret one masked first); a run owned by another live
 * process gets it through its inbox; a run whose owner is gone is an
 * `invalidState`.
 */
export async function answerPrompt(
  store: RunStore,
  clock: Clock,
  target: AnswerTarget,
  promptId: string,
  answer: GivenAnswer,
  by: string,
): Promise<'answered' | 'sent'> {
  const { runId, state, session } = target;
  const prompt = findPrompt(state, promptId);
  if (!prompt)
    throw new EngineError(
      'notFound',
      `run ${runId} has no open prompt ${promptId}; ${listOpenPrompts(state)}`,
    );
  const value = typedAnswer(prompt, answer);
  if (!session) {
    const owner = await store.readRunOwner(runId);
    if (!owner || !isRunOwnerAlive(owner)) {
      throw new EngineError(
        'invalidState',
        `run ${runId} is not running (its owner is gone); resume it with \`baton resume ${runId}\``,
      );
    }
    await store.writeInboxMessage(runId, { kind: 'answer', promptId: prompt.id, value, by });
    return 'sent';
  }
  if (prompt.secret === true)
    session.masker.add(Array.isArray(value) ? value.join(',') : String(value));
  const result = session.controller.dispatch({
    type: 'promptAnswered',
    promptId: prompt.id,
    value,
    by,
    at: clock.now(),
  });
  if (!result.accepted)
    throw new EngineError('invalidState', `answer to ${prompt.id} refused: ${result.reason}`);
  return 'answered';
}
