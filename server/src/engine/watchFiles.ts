import type { Progress } from '@baton/core';
import { FileTailer } from '../tail/fileTailer';
import { parseJsonlProgress } from '../tail/jsonlProgress';

/** A running watch of a stage's files. */
export interface StageWatch {
  /** Settles once the first scan is done and new files and directories will be noticed. */
  readonly ready: Promise<void>;
  /** Stops tailing after delivering a last unfinished line. */
  stop(): Promise<void>;
}

/**
 * Tails a stage's `watch:` files from where they are when the attempt starts:
 * JSONL lines with `progress`/`message` become progress (the message is also
 * logged), every other line is logged prefixed with its file name.
 */
export function watchStageFiles(
  patterns: readonly string[],
  cwd: string,
  onText: (text: string) => void,
  onProgress: (progress: Progress) => void,
): StageWatch {
  const tailer = new FileTailer({ cwd, globs: patterns, fromEnd: true });
  tailer.on('error', (error) => onText(`[watch] ${error.message}\n`));
  tailer.on('line', (file, text) => {
    const parsed = parseJsonlProgress(text);
    if (parsed?.progress) onProgress(parsed.progress);
    if (parsed?.message !== undefined) onText(`[${file}] ${parsed.message}\n`);
    if (!parsed) onText(`[${file}] ${text}\n`);
  });
  return {
    ready: tailer.ready().catch(() => undefined),
    stop: () => tailer.close({ flushPartial: true }),
  };
}
