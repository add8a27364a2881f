/**
 * The process behind a stage attempt, as `RunningStage` (spawnStage.ts) sees
 * it, whoever started it: the engine itself (`fork` through Node's `spawn`,
 * `forkedChild`) or the stage spawner (`stageSpawner.ts`), whose children
 * become known a moment after they are asked for.
 */
import type { ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { processStartTime } from './processTree';
import { GATE_GO } from './stageGate';

/** A child that runs: its pid and start time (see `processStartTime`). */
export interface ChildRunning {
  readonly pid: number;
  readonly startTime: number | undefined;
}

/**
 * How the start of a child went: it runs, or why it could not start. With
 * `lost`, whoever started it died before saying: the child may have started
 * all the same, and only the environment token still finds it.
 */
export type ChildLaunch = ChildRunning | { readonly error: unknown; readonly lost?: true };

/**
 * How a child ended: its exit code or signal, or `lost` when whoever started
 * it can no longer tell (the spawner died), with the reason.
 */
export type ChildExit =
  { readonly code: number | null; readonly signal: string | null } | { readonly lost: string };

/** A stage's process: its descriptors, its start and its end. */
export interface StageChild {
  readonly stdin: Writable | null;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  /** Known at once for a forked child; a promise for one the spawner starts. */
  readonly launch: ChildLaunch | Promise<ChildLaunch>;
  /** Settles when the child has exited; never before `launch` said it runs. */
  readonly exit: Promise<ChildExit>;
  /**
   * Lets a gated child run its command (see `stageGate`): writes the go line
   * to its stdin, once; only after `launch` said it runs.
   */
  openGate(): void;
}

/** `openGate` for a child whose stdin is `stdin`: the go line, written once, before anything else. */
export function gateOpener(stdin: Writable | null): () => void {
  let opened = false;
  return () => {
    if (opened || !stdin || stdin.destroyed || stdin.writableEnded) return;
    opened = true;
    // The stage may already be gone (killed before its start); that is no error here.
    stdin.write(GATE_GO, () => undefined);
  };
}

/** Whether a launch says the child runs. */
export function isRunning(launch: ChildLaunch): launch is ChildRunning {
  return 'pid' in launch;
}

/** A child the engine forked itself: everything about its start is known at once. */
export function forkedChild(child: ChildProcess): StageChild {
  const { pid } = child;
  const launch: ChildLaunch | Promise<ChildLaunch> =
    pid === undefined
      ? new Promise((resolve) => child.once('error', (error) => resolve({ error })))
      : { pid, startTime: processStartTime(pid) };
  // 'error' also reports failed writes and kills; a failed start is the launch's to report.
  child.on('error', () => undefined);
  const exit = new Promise<ChildExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    stdin: child.stdin,
    stdout: child.stdout,
    stderr: child.stderr,
    launch,
    exit,
    openGate: gateOpener(child.stdin),
  };
}
