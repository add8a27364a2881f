import { inputEnvName, renderAnswer } from '@baton/core';
import type { AnswerValue, InputSpec } from '@baton/core';

/** Where a stage attempt's Baton files are, and who it belongs to. */
export interface StageEnvContext {
  readonly runId: string;
  readonly stage: string;
  readonly attempt: number;
  readonly runDir: string;
  /** Whether someone can answer prompts (`BATON_INTERACTIVE`). */
  readonly interactive: boolean;
  readonly outputFile: string;
  readonly stateDir: string;
  readonly summaryFile: string;
  readonly inputs: Readonly<Record<string, AnswerValue>>;
  readonly inputSpecs: readonly InputSpec[];
  /** Environment the core put on the `spawnStage` effect: pipeline env, stage env, substitution variables. */
  readonly stageEnv: Readonly<Record<string, string>>;
  /** The engine's own environment (normally `process.env`). */
  readonly baseEnv: Readonly<Record<string, string | undefined>>;
}

/**
 * The complete environment of a stage attempt. Later layers win: the engine's
 * environment, then the pipeline and stage env (with the core's substitution
 * variables), then Baton's own variables, which a pipeline cannot override.
 */
export function buildStageEnv(context: StageEnvContext): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(context.baseEnv)) {
    if (value !== undefined) {
      env[name] = value;
    }
  }
  Object.assign(env, context.stageEnv);
  for (const spec of context.inputSpecs) {
    const value = context.inputs[spec.id];
    if (value !== undefined) {
      // The same names and rendering the core uses for `${{ inputs.x }}` in commands.
      env[inputEnvName(spec.id)] = renderAnswer(value);
    }
  }
  env.BATON_RUN_ID = context.runId;
  env.BATON_STAGE = context.stage;
  env.BATON_ATTEMPT = String(context.attempt);
  env.BATON_RUN_DIR = context.runDir;
  env.BATON_INTERACTIVE = context.interactive ? '1' : '0';
  env.BATON_OUTPUT = context.outputFile;
  env.BATON_STATE = context.stateDir;
  env.BATON_SUMMARY = context.summaryFile;
  return env;
}
