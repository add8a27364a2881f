import * as path from 'node:path';
import { inputEnvName, renderAnswer } from '@baton/core';
import type { AnswerValue, InputSpec, StageExports } from '@baton/core';

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
  /** What the stages this one needs exported (`$GITHUB_ENV`, `$GITHUB_PATH`). */
  readonly inherited?: StageExports;
  /** The stage's Python virtual environment, an absolute path (`venv:`). */
  readonly venv?: string;
  /** `$GITHUB_*` file variables and the `STATE_<name>` values saved by earlier attempts. */
  readonly githubEnv: Readonly<Record<string, string>>;
}

/**
 * The complete environment of a stage attempt. Later layers win: the engine's
 * environment, then the variables the needed stages exported, then the
 * pipeline and stage env (with the core's substitution variables: what the
 * pipeline file says beats what a stage wrote at run time), then Baton's own
 * variables, which a pipeline cannot override. `PATH` gets the venv's `bin`
 * first, then the exported directories.
 */
export function buildStageEnv(context: StageEnvContext): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(context.baseEnv)) {
    if (value !== undefined) {
      env[name] = value;
    }
  }
  Object.assign(env, context.inherited?.env, context.stageEnv);
  const front = [
    ...(context.venv === undefined ? [] : [path.join(context.venv, 'bin')]),
    ...(context.inherited?.path ?? []),
  ];
  if (front.length > 0) {
    env.PATH = [...front, ...(env.PATH === undefined || env.PATH === '' ? [] : [env.PATH])].join(
      path.delimiter,
    );
  }
  if (context.venv !== undefined) {
    // What `activate` does: name the venv, and drop a PYTHONHOME that would point Python elsewhere.
    env.VIRTUAL_ENV = context.venv;
    delete env.PYTHONHOME;
  }
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
  Object.assign(env, context.githubEnv);
  return env;
}
