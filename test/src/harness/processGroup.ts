import { spawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';

/**
 * Starts `command` as the leader of a new process group, so it and every
 * process it starts (code-server's extension host, file watcher, pty host)
 * can be stopped together by {@link killProcessGroup}.
 */
export function spawnProcessGroup(
  command: string,
  args: readonly string[],
  options: Omit<SpawnOptions, 'detached'>,
): ChildProcess {
  return spawn(command, args, { ...options, detached: true });
}

/** Resolves when `child` has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Sends SIGTERM to the whole group led by `child`, then SIGKILL if the leader
 * has not exited after `graceMs`. The group is killed with SIGKILL in the end
 * either way, because children may outlive a leader that exited on SIGTERM.
 */
export async function killProcessGroup(child: ChildProcess, graceMs = 3000): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  signalGroup(pid, 'SIGTERM');
  const leaderGone = await Promise.race([
    exited(child).then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), graceMs).unref()),
  ]);
  signalGroup(pid, 'SIGKILL');
  if (!leaderGone) await exited(child);
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    // ESRCH: the group is already gone, which is what we wanted.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
