/**
 * Real `baton worker` child processes for tests, started from the compiled
 * `baton` command (`server/bin/baton.js`), each with its own name and work directory,
 * and stopped by pid.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { waitFor } from './waitFor';

/** A worker a test started. */
export interface TestWorker {
  readonly name: string;
  readonly child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** Sends `signal` by pid and waits for the process to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** The `baton` command (the bundle, or the compiled CLI when `tsc -b` made something newer). */
const MAIN = path.resolve(__dirname, '..', '..', '..', 'bin', 'baton.js');

/** Starts `baton worker` and waits until it takes stages. */
export async function startTestWorker(options: {
  readonly url: string;
  readonly name: string;
  readonly workDir: string;
  readonly queues?: readonly string[];
  readonly concurrency?: number;
  readonly env?: Readonly<Record<string, string>>;
  /** More options of `baton worker` (`--root <dir>`, say). */
  readonly args?: readonly string[];
}): Promise<TestWorker> {
  const args = [
    MAIN,
    'worker',
    '--redis',
    options.url,
    '--name',
    options.name,
    '--work-dir',
    options.workDir,
  ];
  for (const queue of options.queues ?? ['default']) args.push('--queue', queue);
  args.push('--concurrency', String(options.concurrency ?? 2), ...(options.args ?? []));
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Short locks so a killed worker is noticed within a second or two.
    env: { ...process.env, BATON_WORKER_LOCK_MS: '1000', ...options.env },
  });
  let printed = '';
  child.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  await waitFor(
    `worker ${options.name} to start`,
    () => printed.includes('takes stages from') || child.exitCode !== null,
    {
      timeoutMs: 20_000,
    },
  );
  if (child.exitCode !== null) throw new Error(`worker ${options.name} exited: ${printed}`);
  return {
    name: options.name,
    child,
    output: () => printed,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      if (child.pid !== undefined) process.kill(child.pid, signal);
      await gone;
    },
  };
}
