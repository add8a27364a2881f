/**
 * Stops of remote stages that have not reached Redis yet, kept on the
 * orchestrator's disk so they outlive it. A kill of a remote attempt is
 * written here first (`runs/<run>/stops/<job id>.json`, in the run's own
 * folder), then sent through the job's control stream; once the entry is in
 * Redis the file goes. When Redis is unreachable at that moment, a courier
 * process (`baton deliver-stops <file>`, detached, see `stopCourier.ts`) is
 * started to deliver it when Redis is back, so the worker ends the stage's
 * tree even if this orchestrator has exited by then.
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** The courier's Redis URL (the same variable as the CLI's `--redis` default). */
const REDIS_URL_VARIABLE = 'BATON_REDIS_URL';

/** A stop waiting to reach Redis. No password: the courier gets the URL from its environment. */
export interface PendingStop {
  readonly runId: string;
  readonly stage: string;
  readonly attempt: number;
  readonly queue: string;
  readonly jobId: string;
  /** Time between SIGTERM and SIGKILL on the worker. */
  readonly graceMs: number;
  /** Also fail the job in Redis, so its worker lets it go rather than take its lock back (the attempt was given up). */
  readonly failJob: boolean;
  /** Why the stage is stopped, for the job's failure and the run's log. */
  readonly reason: string;
  /** When the stop was asked (epoch ms). */
  readonly at: number;
}

/** Where an attempt's stop is kept until it reaches Redis, and how a courier is started for it. */
export interface PendingStopPlace {
  readonly file: string;
  readonly runId: string;
  readonly stage: string;
  readonly attempt: number;
  /** Starts a courier that delivers the stop in `file` once Redis is back, even after this process. */
  startCourier(file: string): void;
}

/** The file of a pending stop: in the run's folder, one per job. */
export function pendingStopFile(runDir: string, jobId: string): string {
  return path.join(runDir, 'stops', `${jobId}.json`);
}

/** Writes a pending stop (atomically: a courier never reads half a file). */
export async function recordPendingStop(file: string, stop: PendingStop): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temp, JSON.stringify(stop), { mode: 0o600 });
  await fs.rename(temp, file);
}

/** Forgets a pending stop that reached Redis. */
export async function forgetPendingStop(file: string): Promise<void> {
  await fs.rm(file, { force: true });
}

/** Reads a pending stop; undefined when it is gone (delivered) or unreadable. */
export async function readPendingStop(file: string): Promise<PendingStop | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as PendingStop;
  } catch {
    return undefined;
  }
}

/**
 * How this process starts a courier for a pending stop: the program and the
 * arguments before `deliver-stops <file>` (the `baton` CLI, or the server
 * bundle, which both know the command).
 */
export interface CourierCommand {
  readonly program: string;
  readonly args: readonly string[];
}

/**
 * How to start this process's program again as a courier, when it is one of
 * Baton's own entries (the `baton` command or the server bundle), which both
 * know `deliver-stops`; undefined otherwise (a test runner hosting an engine).
 */
export function courierOfThisProcess(): CourierCommand | undefined {
  const main = process.argv[1];
  if (main === undefined || !/(?:^|[/\\])(?:baton|baton\.js|server\.js)$/.test(main)) {
    return undefined;
  }
  return { program: process.execPath, args: [main] };
}

/**
 * Starts a courier that delivers the stop in `file` once Redis is back, in
 * its own session so it outlives this process and its terminal. The Redis
 * URL (with its password) travels in the courier's environment, never on
 * disk or its command line.
 */
export function startCourier(command: CourierCommand, file: string, url: string): void {
  try {
    const child = spawn(command.program, [...command.args, 'deliver-stops', file], {
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, [REDIS_URL_VARIABLE]: url },
    });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No courier: the stop stays on disk, and this process delivers it if it lives until Redis is back.
  }
}
