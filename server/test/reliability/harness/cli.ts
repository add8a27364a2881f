/**
 * Runs the real `baton` command (server/bin/baton.js) as a child process, the
 * way a user's terminal or a CI job does: stdout is a pipe, so the plain view
 * is used and prompts wait for `baton answer`.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';

/** The `baton` bin script. */
export const BATON_BIN = path.resolve(__dirname, '..', '..', '..', '..', 'bin', 'baton.js');

/** How a `baton` process ended. */
export interface BatonResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running `baton` process. */
export interface BatonProcess {
  readonly child: ChildProcess;
  /** Settles once the process has exited and its pipes are closed. */
  readonly done: Promise<BatonResult>;
  /** Everything printed so far on stdout and stderr. */
  output(): string;
}

/** Starts `baton <args>` in `cwd`, with `env` added to this process's environment. */
export function startBaton(
  cwd: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): BatonProcess {
  const child = spawn(process.execPath, [BATON_BIN, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const done = new Promise<BatonResult>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done, output: () => stdout + stderr };
}

/** Runs `baton <args>` to its end. */
export function baton(
  cwd: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<BatonResult> {
  return startBaton(cwd, args, env).done;
}

/** The first run id printed in `text` (`run 20261121-113211-684-f7p7`), if any. */
export function runIdIn(text: string): string | undefined {
  return /\b(\d{8}-\d{6}-\d{3}-[a-z0-9]{4})\b/.exec(text)?.[1];
}

/** Describes a result for assertion messages. */
export function describeResult(result: BatonResult): string {
  return `exit ${String(result.code ?? result.signal)}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}
