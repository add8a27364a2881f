import { watchStageFiles } from '../engine/attempt/watchFiles';
import type { OutputEntry } from '../executor/bullmq/outputStream';
import type { Masker } from '../output/masker';

/** Longest wait for the first scan of the watched files before the stage's command runs (as locally). */
const WATCH_READY_MS = 2000;

/**
 * Tails a remote stage's `watch:` files on the worker, where the stage writes
 * them, with the engine's own tailer: their lines (masked, `[file] line`) and
 * the progress they report go into the job's output stream, in order with the
 * stage's output. Resolves once the first scan is done (or after two seconds),
 * so a file the stage makes at once is noticed; the returned function stops
 * the tailing and hands over what was still unread.
 */
export async function watchOnWorker(
  patterns: readonly string[] | undefined,
  cwd: string,
  masker: Masker,
  add: (entry: OutputEntry) => void,
): Promise<() => Promise<void>> {
  if (patterns === undefined || patterns.length === 0) return async () => undefined;
  const watch = watchStageFiles(
    patterns,
    cwd,
    (text) => add({ kind: 'watch', text: masker.mask(text) }),
    (progress) => add({ kind: 'progress', progress: masker.maskValue(progress) }),
  );
  await Promise.race([
    watch.ready,
    new Promise((resolve) => setTimeout(resolve, WATCH_READY_MS).unref()),
  ]);
  return () => watch.stop();
}
