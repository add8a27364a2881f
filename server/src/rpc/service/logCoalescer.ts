import type * as P from '@baton/protocol';

/** How long output is gathered before it is sent. */
export const LOG_FLUSH_MS = 50;
/** A stage's pending output is sent at once past this many bytes, so memory stays bounded. */
const MAX_PENDING_BYTES = 512 * 1024;

interface Pending {
  readonly runId: string;
  readonly stage: string;
  readonly attempt: number;
  text: string;
  bytes: number;
}

/**
 * Gathers stage output per run, stage and attempt and sends it as one
 * `baton/didAppendLog` every ~50 ms, never one message per line. Tracks the
 * byte offset of each attempt's text.
 */
export class LogCoalescer {
  private readonly pending = new Map<string, Pending>();
  private readonly offsets = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly send: (params: Omit<P.DidAppendLogParams, 'seq'>) => void,
    private readonly intervalMs = LOG_FLUSH_MS,
  ) {}

  /**
   * Queues output of a stage attempt. `fileOffset`, when known, is where the
   * text starts in the attempt's log (output tailed from a file part-way).
   */
  append(runId: string, stage: string, attempt: number, text: string, fileOffset?: number): void {
    if (text.length === 0) return;
    const key = `${runId}\n${stage}\n${attempt}`;
    if (fileOffset !== undefined && !this.pending.has(key)) this.offsets.set(key, fileOffset);
    const entry = this.pending.get(key) ?? { runId, stage, attempt, text: '', bytes: 0 };
    entry.text += text;
    entry.bytes += Buffer.byteLength(text, 'utf8');
    this.pending.set(key, entry);
    if (entry.bytes >= MAX_PENDING_BYTES) this.flushOne(key, entry);
    else this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  /** Sends everything pending now. */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    for (const [key, entry] of [...this.pending]) this.flushOne(key, entry);
  }

  /** Sends what is pending and stops the timer. */
  dispose(): void {
    this.flush();
  }

  private flushOne(key: string, entry: Pending): void {
    this.pending.delete(key);
    const offset = this.offsets.get(key) ?? 0;
    this.offsets.set(key, offset + entry.bytes);
    const { runId, stage, attempt, text } = entry;
    this.send({ runId, stage, attempt, text, offset });
  }
}
