/**
 * Makes stage processes die with the engine that started them. Stages run in
 * process groups of their own (so a stop can end the whole tree), which also
 * means nothing ends them when the engine itself is killed with SIGKILL.
 *
 * One small sidecar process per engine process (see `REAPER_SOURCE`) is
 * started with the first stage and told over a pipe which process group and
 * environment token each stage has, and when each stage has ended. The pipe
 * closes when the engine dies, however it dies; the reaper then ends every
 * stage still registered. The cost per stage is two short writes.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { REAPER_SOURCE } from './reaperSource';

/** Time the reaper gives stage processes between SIGTERM and SIGKILL. */
export const REAPER_GRACE_MS = 3000;

/** The registered stages (pgid → token), replayed if a reaper has to be started again. */
const registered = new Map<number, string>();
let reaper: ChildProcess | undefined;

/** Tells the reaper a stage started: its process group and the token its processes carry. */
export function registerStage(pgid: number, token: string): void {
  registered.set(pgid, token);
  send(`add ${pgid} ${token}\n`);
}

/** Tells the reaper a stage has ended and nothing of it is left to kill. */
export function unregisterStage(pgid: number): void {
  if (!registered.delete(pgid)) return;
  send(`del ${pgid}\n`);
}

/** The reaper's pid, if one is running (tests). */
export function reaperPid(): number | undefined {
  return reaper?.pid;
}

function send(line: string): void {
  // A new reaper (the first, or one replacing a reaper someone killed) is told every registered stage at start.
  if (!reaper) {
    startReaper();
    return;
  }
  if (reaper.stdin?.writable) reaper.stdin.write(line);
}

function startReaper(): void {
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, ['-e', REAPER_SOURCE, String(REAPER_GRACE_MS)], {
      // A session of its own: Ctrl-C in the engine's terminal must not end it first.
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
      // An Electron host runs the script as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
  } catch {
    // Without a reaper stages still end on stop and exit; only an engine crash leaves them to resume.
    return;
  }
  reaper = child;
  child.on('error', () => forget(child));
  child.on('exit', () => forget(child));
  child.stdin?.on('error', () => undefined);
  // The reaper must never keep the engine alive, nor its pipe the event loop.
  child.unref();
  (child.stdin as (NodeJS.WritableStream & { unref?: () => void }) | null)?.unref?.();
  for (const [pgid, token] of registered) child.stdin?.write(`add ${pgid} ${token}\n`);
}

function forget(child: ChildProcess): void {
  if (reaper === child) reaper = undefined;
}
