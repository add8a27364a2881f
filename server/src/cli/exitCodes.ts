import type { RunStatus } from '@baton/core';

/** Exit codes of `baton`. */
export const EXIT = {
  /** The run succeeded, or the command did what it was asked. */
  ok: 0,
  /** The run failed or was cancelled, or the command could not do what it was asked. */
  failed: 1,
  /** Bad usage or an invalid pipeline file. */
  usage: 2,
  /** Interrupted (Ctrl-C): the run is left resumable. */
  interrupted: 130,
} as const;

/** The exit code for a run that ended with `status`. */
export function exitCodeForStatus(status: RunStatus): number {
  switch (status) {
    case 'succeeded':
      return EXIT.ok;
    case 'interrupted':
      return EXIT.interrupted;
    case 'failed':
    case 'cancelled':
    case 'queued':
    case 'running':
    case 'waiting':
      return EXIT.failed;
    default: {
      const never: never = status;
      return Number(never);
    }
  }
}
