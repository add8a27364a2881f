/** How often the client process is checked by default. */
export const DEFAULT_PARENT_POLL_MS = 3000;

/** True when a process with this pid exists (EPERM means it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Calls `onDead` once when process `pid` no longer exists, checking every
 * `intervalMs`. The timer is unref'd so it never keeps the server alive on
 * its own. Returns a function that stops watching.
 */
export function watchParentProcess(
  pid: number,
  onDead: () => void,
  intervalMs = DEFAULT_PARENT_POLL_MS,
): () => void {
  const timer = setInterval(() => {
    if (isProcessAlive(pid)) return;
    clearInterval(timer);
    onDead();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
