import * as path from 'node:path';

/** Name of the state directory inside a workspace. */
export const DEFAULT_STATE_DIR_NAME = '.baton';

/** Environment variable that overrides the state directory. */
export const STATE_DIR_ENV = 'BATON_STATE_DIR';

/**
 * Picks the state directory: an explicit `--state-dir` wins, then
 * `$BATON_STATE_DIR`, then `<workspace>/.baton`. Relative overrides are taken
 * relative to the workspace.
 */
export function resolveStateDir(options: {
  readonly workspace: string;
  readonly stateDir?: string | undefined;
  readonly env?: NodeJS.ProcessEnv;
}): string {
  const env = options.env ?? process.env;
  const chosen = options.stateDir ?? env[STATE_DIR_ENV];
  if (chosen !== undefined && chosen !== '') {
    return path.resolve(options.workspace, chosen);
  }
  return path.resolve(options.workspace, DEFAULT_STATE_DIR_NAME);
}
