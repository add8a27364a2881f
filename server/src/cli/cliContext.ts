import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_STATE_DIR_NAME, resolveStateDir, STATE_DIR_ENV } from '../store/stateDirectory';
import type { Terminal } from './terminal';

/** Options every command accepts. */
export interface GlobalOptions {
  readonly stateDir?: string;
  /** `--redis <url>`: the Redis of the bullmq executor (see `redisUrlOf`). */
  readonly redis?: string;
}

/** The environment variable that gives the bullmq executor's Redis when `--redis` does not. */
export const REDIS_URL_ENV = 'BATON_REDIS_URL';

/** The Redis connection for remote stages and workers: `--redis`, then `$BATON_REDIS_URL`; undefined when neither. */
export function redisUrlOf(context: CliContext, options: GlobalOptions): string | undefined {
  if (options.redis !== undefined && options.redis !== '') return options.redis;
  const fromEnv = context.env[REDIS_URL_ENV];
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}

/** What every command works with. */
export interface CliContext {
  readonly terminal: Terminal;
  /** The directory commands are relative to (the current directory). */
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /**
   * The build of Baton that runs, which kept plans are tied to (`PlanCache`);
   * by default the bundle's own id (`bundleBuildId`), none for unbundled code.
   * Tests give one to exercise the cache.
   */
  readonly buildId?: string;
}

/** A usage problem: printed with exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * The workspace `cwd` belongs to: the nearest directory at or above it that
 * has a `.baton` directory, else the nearest with `.git` or `.vscode`, else
 * `cwd` itself. So `baton` run from a sub-folder shares its runs with the
 * editor, which keeps them in the workspace root.
 */
export function findWorkspace(cwd: string): string {
  let marked: string | undefined;
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, DEFAULT_STATE_DIR_NAME))) return dir;
    if (
      marked === undefined &&
      ['.git', '.vscode'].some((name) => existsSync(path.join(dir, name)))
    ) {
      marked = dir;
    }
    if (path.dirname(dir) === dir) return marked ?? path.resolve(cwd);
  }
}

/**
 * The state directory: `--state-dir` (relative to the current directory),
 * then `$BATON_STATE_DIR`, then `.baton` in the workspace (see `findWorkspace`).
 */
export function stateDirOf(context: CliContext, options: GlobalOptions): string {
  if (options.stateDir !== undefined) return path.resolve(context.cwd, options.stateDir);
  const fromEnv = context.env[STATE_DIR_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return path.resolve(context.cwd, fromEnv);
  return resolveStateDir({ workspace: findWorkspace(context.cwd), env: {} });
}
