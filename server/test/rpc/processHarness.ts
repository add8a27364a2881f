/** Spawns the fixture server as a child process, for tests that need a real process and real pipes. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';

/** Path of the compiled fixture server. */
export const FIXTURE_SERVER = path.join(__dirname, 'fixtures', 'fixtureServer.js');

/** A running fixture server. */
export interface FixtureProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** Resolves with the exit code (or signal name) when the process ends. */
  readonly exited: Promise<number | string>;
  /** Everything the process wrote to stderr. */
  stderr(): string;
}

/** Starts the fixture server with extra environment variables. */
export function startFixture(env: Record<string, string> = {}): FixtureProcess {
  const child = spawn(process.execPath, [FIXTURE_SERVER], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return { child, exited, stderr: () => stderr };
}

/** Waits for `promise`, failing with `what` after `timeoutMs`. */
export async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Timed out after ${timeoutMs} ms: ${what}`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
