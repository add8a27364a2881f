/**
 * Helpers for the store and tail tests: temp dirs, small tmpfs mounts (when
 * the machine allows them) and real Node child processes.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { withDeadline } from '../helpers/waitFor';

/** Absolute path of a compiled server module (`out/src/...`), for child processes. */
export function compiledModule(relative: string): string {
  return path.resolve(__dirname, '../../src', relative);
}

/** A fresh temp dir; `cleanup()` removes it. */
export function makeTempDir(prefix = 'baton-store-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Names in `dir` that look like store temp files. */
export async function tempFilesIn(dir: string): Promise<string[]> {
  return (await fs.readdir(dir)).filter((name) => name.endsWith('.tmp'));
}

/**
 * Mounts a tmpfs of `sizeKb` KiB at a new temp dir. Returns undefined when
 * mounting is not permitted here (not root, in a container without
 * CAP_SYS_ADMIN, …), so the caller can skip.
 */
export function mountTinyTmpfs(sizeKb: number): { dir: string; unmount: () => void } | undefined {
  const { dir, cleanup } = makeTempDir('baton-tmpfs-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k,mode=0700`, 'tmpfs', dir], {
      stdio: 'ignore',
    });
  } catch {
    cleanup();
    return undefined;
  }
  return {
    dir,
    unmount: () => {
      execFileSync('umount', [dir], { stdio: 'ignore' });
      cleanup();
    },
  };
}

/** Output of a finished child process. */
export interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Collects a child's output and resolves when it exits (with a deadline). */
export function childResult(
  child: ChildProcess,
  what: string,
  timeoutMs = 20_000,
): Promise<ChildResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<ChildResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return withDeadline(what, done, timeoutMs);
}

/** Runs `node -e script` with arguments and returns its output. */
export function runNode(
  script: string,
  args: readonly string[] = [],
  options: { readonly uid?: number; readonly gid?: number; readonly shellPrefix?: string } = {},
): Promise<ChildResult> {
  const child =
    options.shellPrefix === undefined
      ? spawn(process.execPath, ['-e', script, ...args], {
          stdio: ['ignore', 'pipe', 'pipe'],
          ...(options.uid === undefined ? {} : { uid: options.uid }),
          ...(options.gid === undefined ? {} : { gid: options.gid }),
        })
      : spawn(
          '/bin/sh',
          ['-c', `${options.shellPrefix}; exec "$0" -e "$@"`, process.execPath, script, ...args],
          {
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
  return childResult(child, `node child running ${script.slice(0, 40)}…`);
}

/** Waits until `child` has printed a line satisfying `predicate`; returns that line. */
export function waitForLine(
  child: ChildProcess,
  predicate: (line: string) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<string> {
  let buffered = '';
  const found = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      const hit = lines.find(predicate);
      if (hit !== undefined) {
        child.stdout?.off('data', onData);
        resolve(hit);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${what}: child exited (${code}) first`)));
  });
  return withDeadline(what, found, timeoutMs);
}
