/** Turns a failure to start a stage into a sentence that says what to fix. */
import { statSync } from 'node:fs';

/**
 * Describes why `spawn` failed. Node reports a missing working directory as
 * `spawn /bin/sh ENOENT`, which blames the shell; this checks the directory
 * first so the message points at the real cause.
 */
export function describeSpawnError(error: unknown, cwd: string, shell: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const cwdProblem = describeDirectoryProblem(cwd);
  if (cwdProblem && (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EACCES')) {
    return cwdProblem;
  }
  if (code === 'ENOENT') return `cannot start the stage: the shell ${shell} does not exist`;
  if (code === 'EACCES') return `cannot start the stage: permission denied running ${shell}`;
  const message = error instanceof Error ? error.message : String(error);
  return `cannot start the stage: ${message}`;
}

function describeDirectoryProblem(cwd: string): string | undefined {
  try {
    if (!statSync(cwd).isDirectory()) {
      return `cannot start the stage: the working directory ${cwd} is not a directory`;
    }
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES') {
      return `cannot start the stage: permission denied entering the working directory ${cwd}`;
    }
    return `cannot start the stage: the working directory ${cwd} does not exist`;
  }
}
