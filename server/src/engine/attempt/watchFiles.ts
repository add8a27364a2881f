import type { Progress } from '@baton/core';
import { FileTailer } from '../../tail/fileTailer';
import { parseJsonlProgress } from '../../tail/jsonlProgress';

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
 * logged), every other line is logged prefixed with its file name. The lines
 * of one read of a file reach `onText` together, as one piece of text.
 */
export function watchStageFiles(
  patterns: readonly string[],
  cwd: string,
  onText: (text: string) => void,
  onProgress: (progress: Progress) => void,
): StageWatch {
  const tailer = new FileTailer({ cwd, globs: patterns, fromEnd: true });
  const batch = new TextBatch(onText);
  tailer.on('error', (error) => batch.add(`[watch] ${error.message}\n`));
  tailer.on('line', (file, text) => {
    const parsed = parseJsonlProgress(text);
    if (parsed?.progress) {
      // The lines before it were written before the progress they lead up to.
      batch.flush();
      onProgress(parsed.progress);
    }
    if (parsed?.message !== undefined) batch.add(`[${file}] ${parsed.message}\n`);
    if (!parsed) batch.add(`[${file}] ${text}\n`);
  });
  return {
    ready: tailer.ready().catch(() => undefined),
    stop: async () => {
      try {
        await tailer.close({ flushPartial: true });
      } finally {
        batch.flush();
      }
    },
  };
}

/**
 * Log text gathered while the tailer hands over the lines of a read (it emits
 * them one by one, in one go), then written as one piece: one log write and
 * one `'log'` event per read instead of per line.
 */
class TextBatch {
  private text = '';

  constructor(private readonly write: (text: string) => void) {}

  /** Adds text; it is written once the current task has handed over all its lines. */
  add(text: string): void {
    if (this.text === '') queueMicrotask(() => this.flush());
    this.text += text;
  }

  /** Writes what was gathered, if anything. */
  flush(): void {
    if (this.text === '') return;
    const text = this.text;
    this.text = '';
    this.write(text);
  }
}
