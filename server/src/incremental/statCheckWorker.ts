import { Worker } from 'node:worker_threads';

/**
 * The worker's program, plain JavaScript run with `eval`, for the reason the
 * reaper's is (`reaperSource.ts`): the server is one bundled file, where no
 * second entry point exists. It keeps shares of kept plans (paths and their
 * stats as numbers, five a path: kind 0 nothing there, 1 file, 2 directory,
 * 3 other; size; modification and change times; inode, as `planMemory.ts`
 * writes them) and answers whether each path of a share still has its stat.
 * Messages in: `{ keep, paths, stats }`, `{ forget }`, `{ check, seq }`;
 * out: `{ seq, holds }`.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const shares = new Map();
function statOf(path) {
  try {
    return fs.statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}
function holds(share) {
  const { paths, stats } = share;
  for (let index = 0; index < paths.length; index++) {
    const stat = statOf(paths[index]);
    const at = index * 5;
    if (stat === undefined) {
      if (stats[at] !== 0) return false;
      continue;
    }
    const kind = stat.isFile() ? 1 : stat.isDirectory() ? 2 : 3;
    if (
      stats[at + 4] !== stat.ino ||
      stats[at + 2] !== stat.mtimeMs ||
      stats[at + 3] !== stat.ctimeMs ||
      stats[at + 1] !== stat.size ||
      stats[at] !== kind
    )
      return false;
  }
  return true;
}
parentPort.on('message', (message) => {
  if (message.keep !== undefined) {
    shares.set(message.keep, { paths: message.paths, stats: message.stats });
  } else if (message.forget !== undefined) {
    shares.delete(message.forget);
  } else {
    const share = shares.get(message.check);
    parentPort.postMessage({ seq: message.seq, holds: share !== undefined && holds(share) });
  }
});
`;

/**
 * A second thread that looks at part of a kept plan's paths while the
 * server's own thread looks at the rest: checking a thousand up-to-date
 * stages is thirteen thousand `stat` calls, and on a machine with two cores
 * two threads make them in about half the time. Anything doubtful (the
 * worker failed, exited, or holds no such share) answers "changed", which
 * costs a full check and never a wrong skip.
 */
export class StatCheckWorker {
  private worker: Worker | undefined;
  private broken = false;
  private seq = 0;
  private readonly waiting = new Map<number, (holds: boolean) => void>();

  /** Whether the worker can take shares (it has not failed). */
  get usable(): boolean {
    return !this.broken;
  }

  /** Gives the worker a share to check later under `id` (replacing any it held). */
  keep(id: string, paths: readonly string[], stats: Float64Array): void {
    this.started()?.postMessage({ keep: id, paths, stats });
  }

  /** Drops the share kept under `id`. */
  forget(id: string): void {
    this.worker?.postMessage({ forget: id });
  }

  /** Whether every path of the share `id` still has its stat; false when in doubt. */
  check(id: string): Promise<boolean> {
    const worker = this.worker;
    if (worker === undefined || this.broken) return Promise.resolve(false);
    const seq = ++this.seq;
    // Held while an answer is awaited, so the process waits for it; idle, it keeps nothing alive.
    if (this.waiting.size === 0) worker.ref();
    return new Promise((resolve) => {
      this.waiting.set(seq, resolve);
      worker.postMessage({ check: id, seq });
    });
  }

  private started(): Worker | undefined {
    if (this.broken) return undefined;
    if (this.worker !== undefined) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    worker.on('message', (message: { seq: number; holds: boolean }) =>
      this.answered(message.seq, message.holds === true),
    );
    worker.on('error', () => this.fail());
    worker.on('exit', () => this.fail());
    this.worker = worker;
    return worker;
  }

  private answered(seq: number, holds: boolean): void {
    const resolve = this.waiting.get(seq);
    this.waiting.delete(seq);
    if (this.waiting.size === 0) this.worker?.unref();
    resolve?.(holds);
  }

  /** The worker is gone: every awaited answer is "changed", and no share goes to a worker again. */
  private fail(): void {
    this.broken = true;
    for (const resolve of this.waiting.values()) resolve(false);
    this.waiting.clear();
  }
}
