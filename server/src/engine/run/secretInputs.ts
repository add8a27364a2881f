import { parseAnswerText } from '@baton/core';
import type { AnswerValue, Pipeline, RunState } from '@baton/core';
import { EngineError } from '../engineErrors';
import { MASK } from '../../output/masker';

/**
 * Secret inputs are never written to a run's files (they are masked there),
 * so a resumed run gets them again from the caller (`baton resume --input`).
 * Returns the state with the given secret values put back; throws
 * `invalidInput` naming each secret input that is masked and not given, and
 * for a given value of the wrong type. Values for other inputs are refused:
 * a run keeps the inputs it started with.
 */
export function restoreSecretInputs(
  state: RunState,
  given: Readonly<Record<string, AnswerValue>>,
): RunState {
  const specs = state.pipeline.inputs;
  const problems: string[] = [];
  const inputs: Record<string, AnswerValue> = { ...state.inputs };
  for (const [id, value] of Object.entries(given)) {
    const spec = specs.find((input) => input.id === id);
    if (spec?.secret !== true) {
      problems.push(`${id}: only secret inputs can be given again on resume`);
      continue;
    }
    const parsed =
      typeof value === 'string' ? parseAnswerText(spec, value) : { ok: true as const, value };
    if (parsed.ok) inputs[id] = parsed.value;
    else problems.push(`${id}: ${parsed.error}`);
  }
  for (const spec of specs) {
    if (spec.secret === true && isMasked(inputs[spec.id])) {
      problems.push(
        `${spec.id} is secret and never stored; give it again with --input ${spec.id}=<value>`,
      );
    }
  }
  if (problems.length > 0) {
    throw new EngineError(
      'invalidInput',
      `cannot resume run ${state.runId}:\n  ${problems.join('\n  ')}`,
    );
  }
  return Object.keys(given).length === 0 ? state : { ...state, inputs };
}

function isMasked(value: AnswerValue | undefined): boolean {
  if (typeof value === 'string') return value.includes(MASK);
  return Array.isArray(value) && value.some((item) => item.includes(MASK));
}

/**
 * Secret environment values written in the pipeline file are masked in the
 * run's files too; a resumed run reads them again from the pipeline file
 * (values that come from the engine's own environment need nothing).
 */
export async function restoreSecretEnv(
  state: RunState,
  reload: (file: string) => Promise<Pipeline>,
): Promise<RunState> {
  const masked = state.pipeline.secretEnv.filter((name) =>
    state.pipeline.env[name]?.includes(MASK),
  );
  if (masked.length === 0) return state;
  let fresh: Pipeline;
  try {
    fresh = await reload(state.pipeline.file);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new EngineError(
      'invalidState',
      `cannot resume run ${state.runId}: its secret env ${masked.join(', ')} must be read again from ${state.pipeline.file}: ${why}`,
    );
  }
  const env: Record<string, string> = { ...state.pipeline.env };
  for (const name of masked) {
    const value = fresh.env[name];
    if (value === undefined) {
      throw new EngineError(
        'invalidState',
        `cannot resume run ${state.runId}: ${state.pipeline.file} no longer sets the secret ${name}`,
      );
    }
    env[name] = value;
  }
  return { ...state, pipeline: { ...state.pipeline, env } };
}
