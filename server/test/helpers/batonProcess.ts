import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';

/** The `baton` CLI of this checkout (the bundle when it is newer, see bin/cliLoader.js). */
export const BATON_BIN = path.resolve(__dirname, '..', '..', '..', 'bin', 'baton.js');

/** A `baton` process started by a test, with everything it printed so far. */
export interface BatonProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** Resolves to the exit code once the process closed. */
  readonly done: Promise<number | null>;
  /** Its stdout and stderr as one text, in the order they came. */
  readonly output: () => string;
}

/** Starts `baton` in `cwd` without colours (and with `env` added), collecting stdout and stderr together. */
export function startBaton(
  cwd: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): BatonProcess {
  const child = spawn(process.execPath, [BATON_BIN, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const done = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, done, output: () => output };
}
