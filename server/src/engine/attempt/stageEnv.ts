import * as path from 'node:path';
import { inputEnvName, renderAnswer } from '@baton/core';
import type { AnswerValue, InputSpec, StageExports } from '@baton/core';
import type { StageEnvLayers } from '../../executor/stageExecutor';

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
 * What Baton puts on top of the engine's environment for a stage attempt,
 * without that environment: the variables the needed stages exported, the
 * pipeline and stage env (with the core's substitution variables: what the
 * pipeline file says beats what a stage wrote at run time), the venv, the
 * run's inputs and Baton's own variables (which a pipeline cannot override);
 * and the directories for the front of `PATH` (the venv's `bin`, then the
 * exported ones). A remote executor sends exactly this, and its worker puts
 * it on its own environment (see `travellingEnv.ts`).
 */
export function stageEnvLayers(context: Omit<StageEnvContext, 'baseEnv'>): StageEnvLayers {
  const env: Record<string, string> = { ...context.inherited?.env, ...context.stageEnv };
  const pathFront = [
    ...(context.venv === undefined ? [] : [path.join(context.venv, 'bin')]),
    ...(context.inherited?.path ?? []),
  ];
  if (context.venv !== undefined) env.VIRTUAL_ENV = context.venv;
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
  return { env, pathFront };
}

/**
 * A stage's environment: `base` (the engine's own, or a worker's) with
 * Baton's layers on top and their directories in front of `PATH`. With a
 * venv, a `PYTHONHOME` that would point Python elsewhere is dropped, as
 * `activate` does.
 */
export function layerStageEnv(
  base: Readonly<Record<string, string | undefined>>,
  layers: StageEnvLayers,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value !== undefined) env[name] = value;
  }
  const basePath = layers.env.PATH ?? env.PATH;
  Object.assign(env, layers.env);
  if (layers.pathFront.length > 0) {
    env.PATH = [
      ...layers.pathFront,
      ...(basePath === undefined || basePath === '' ? [] : [basePath]),
    ].join(path.delimiter);
  }
  if (layers.env.VIRTUAL_ENV !== undefined) delete env.PYTHONHOME;
  return env;
}

/** The complete environment of a stage attempt: the engine's environment with Baton's layers. */
export function buildStageEnv(context: StageEnvContext): Record<string, string> {
  return layerStageEnv(context.baseEnv, stageEnvLayers(context));
}
