/**
 * Which part of a stage's environment travels with its job, and what a
 * worker puts it on. A local stage's environment is the orchestrator's own
 * (its shell's variables, `HOME`, `PATH`, tokens nobody declared) with
 * Baton's layers on top (`StageEnvLayers`). Only those layers travel, secrets
 * left out: the orchestrator's own variables would put whatever its user's
 * shell holds into Redis in plain text, and a `HOME` or `PATH` of one machine
 * is wrong on another. The worker's own environment takes their place, as a
 * CI runner's does.
 */
import type { StageEnvLayers } from '../stageExecutor';

/** A process environment, as `process.env` holds it. */
export type ProcessEnv = Readonly<Record<string, string | undefined>>;

/** Baton's layers of a stage's environment without its secret variables (the worker has its own). */
export function travellingLayers(
  layers: StageEnvLayers,
  secretNames: readonly string[],
): StageEnvLayers {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(layers.env)) {
    if (!secretNames.includes(name)) env[name] = value;
  }
  return { env, pathFront: layers.pathFront };
}

/**
 * A worker's own environment as the base of a stage it runs, without the
 * worker's own settings (`BATON_REDIS_URL` holds Redis's password, and every
 * `BATON_*` a stage needs comes with its job).
 */
export function workerBaseEnv(ownEnv: ProcessEnv): Record<string, string> {
  const base: Record<string, string> = {};
  for (const [name, value] of Object.entries(ownEnv)) {
    if (value !== undefined && !name.startsWith('BATON_')) base[name] = value;
  }
  return base;
}
