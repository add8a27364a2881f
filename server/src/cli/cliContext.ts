import { resolveStateDir } from '../store/paths';
import type { Terminal } from './terminal';

/** Options every command accepts. */
export interface GlobalOptions {
  readonly stateDir?: string;
}

/** What every command works with. */
export interface CliContext {
  readonly terminal: Terminal;
  /** The directory commands are relative to (the current directory). */
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

/** A usage problem: printed with exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The state directory: `--state-dir`, then `$BATON_STATE_DIR`, then `<cwd>/.baton`. */
export function stateDirOf(context: CliContext, options: GlobalOptions): string {
  return resolveStateDir({ workspace: context.cwd, stateDir: options.stateDir, env: context.env });
}
