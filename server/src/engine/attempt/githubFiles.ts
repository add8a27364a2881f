/**
 * GitHub's environment files, read the way GitHub reads them, with Baton's
 * meaning: `$GITHUB_ENV` and `$GITHUB_PATH` hand variables and directories to
 * the stages that need this one, `$GITHUB_STATE` keeps values for the same
 * stage's next attempt (`STATE_<name>`). `$GITHUB_OUTPUT` is `$BATON_OUTPUT`
 * and `$GITHUB_STEP_SUMMARY` is `$BATON_SUMMARY`, so they need nothing here.
 * All are files: printed text never changes what a stage hands on.
 */
import { readFileSync, statSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import type { StageExports } from '@baton/core';
import { parseOutputFile, readOutputFile } from '../../output/outputFile';
import type { AttemptFiles } from './attemptFiles';

/** The `$GITHUB_*` variables of an attempt, pointing at its files. */
export function githubFileEnv(files: AttemptFiles): Record<string, string> {
  return {
    GITHUB_OUTPUT: files.outputFile,
    GITHUB_STEP_SUMMARY: files.summaryFile,
    GITHUB_ENV: files.envFile,
    GITHUB_PATH: files.pathFile,
    GITHUB_STATE: files.savedStateFile,
  };
}

/**
 * The values the stage saved in earlier attempts, as `STATE_<name>`
 * variables (a later value of a name wins). Read synchronously while the
 * attempt's environment is built: the file is small or absent, and waiting
 * here would let the spawn fall behind the events the attempt's gate waits on.
 */
export function savedStateEnv(file: string): Record<string, string> {
  // Most stages never save state: a stat that returns nothing is several times
  // cheaper than a read that throws ENOENT (its error captures a stack), and
  // this runs on the engine's thread for every attempt (0.65 ms an item in a
  // profiled 300-item fan-out on a loaded machine).
  if (!(statSync(file, { throwIfNoEntry: false })?.size ?? 0)) return {};
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(parseOutputFile(text).outputs)) {
    env[`STATE_${name}`] = value;
  }
  return env;
}

/**
 * What the attempt wrote to `$GITHUB_ENV` and `$GITHUB_PATH`, or undefined
 * when both are empty (as they are for most stages: one `stat` each tells).
 * `PATH` directories come in `PATH` order: the last line written first, since
 * on GitHub each added directory goes in front of those added before. A
 * relative line is resolved against the writing stage's working directory:
 * GitHub keeps it as written, which there means the workspace (every step
 * starts in it), but a stage that needs this one may run elsewhere (`cwd:`).
 */
export async function readStageExports(files: AttemptFiles): Promise<StageExports | undefined> {
  const envSize = sizeOf(files.envFile);
  const pathSize = sizeOf(files.pathFile);
  if (envSize === 0 && pathSize === 0) return undefined;
  const [env, lines] = await Promise.all([
    envSize === 0 ? {} : readOutputFile(files.envFile).then((result) => result.outputs),
    pathSize === 0 ? '' : fs.readFile(files.pathFile, 'utf8'),
  ]);
  const path = lines
    .split('\n')
    .map((line) => line.replace(/\r$/, '').trim())
    .filter((line) => line !== '')
    .map((line) => resolvePath(files.cwd, line))
    .reverse();
  return { env, path: [...new Set(path)] };
}

/**
 * The size of one of an attempt's files, 0 when it is missing or cannot be
 * read: synchronous, since it runs for every attempt and a `stat` of a file
 * Baton made a moment ago costs less than a trip to the thread pool.
 */
export function sizeOf(file: string): number {
  try {
    return statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  } catch {
    return 0;
  }
}
