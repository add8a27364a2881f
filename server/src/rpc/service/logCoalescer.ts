import type * as P from '@baton/protocol';

/** How long output is gathered before it is sent. */
export const LOG_FLUSH_MS = 50;
/** A stage's pending output is sent at once past this many bytes. */
const FLUSH_AT_BYTES = 256 * 1024;
/** Output kept per stage while the client is not reading; beyond it, the oldest text is dropped. */
const MAX_HELD_BYTES = 1024 * 1024;
/** While more than this is waiting in the output pipe, log text is held back. */
export const MAX_BACKLOG_BYTES = 4 * 1024 * 1024;

interface Pending {
  readonly runId: string;
  readonly stage: string;
  readonly attempt: number;
  chunks: string[];
  bytes: number;
}

/** What the coalescer needs from the connection. */
export interface LogSink {
  send(params: Omit<P.DidAppendLogParams, 'seq'>): void;
  /** Bytes the client has not read yet. */
  backlog(): number;
}

/**
 * Gathers stage output per run, stage and attempt and sends it as one
 * `baton/didAppendLog` every ~50 ms, never one message per line. Each message
 * carries the byte offset of its text in the attempt's log. When the client
 * does not keep up, text is held back, and past a bound the oldest held text
 * is dropped: the next message's offset then jumps, and the client reads the
 * gap with `baton/getLog`. Memory stays bounded whatever the stages print.
 */
export class LogCoalescer {
  private readonly pending = new Map<string, Pending>();
  private readonly offsets = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sink: LogSink,
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
    const entry = this.pending.get(key) ?? { runId, stage, attempt, chunks: [], bytes: 0 };
    entry.chunks.push(text);
    entry.bytes += Buffer.byteLength(text, 'utf8');
    this.pending.set(key, entry);
    if (entry.bytes > MAX_HELD_BYTES) this.dropOldest(key, entry);
    if (entry.bytes >= FLUSH_AT_BYTES && this.sink.backlog() < MAX_BACKLOG_BYTES) {
      this.flushOne(key, entry);
    } else {
      this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
    }
  }

  /** Sends everything pending now, unless the client is behind (then it tries again later). */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.sink.backlog() >= MAX_BACKLOG_BYTES) {
      if (this.pending.size > 0) this.timer = setTimeout(() => this.flush(), this.intervalMs);
      return;
    }
    for (const [key, entry] of [...this.pending]) this.flushOne(key, entry);
  }

  /** Sends what can be sent and stops the timer. */
  dispose(): void {
    this.flush();
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private flushOne(key: string, entry: Pending): void {
    this.pending.delete(key);
    const offset = this.offsets.get(key) ?? 0;
    this.offsets.set(key, offset + entry.bytes);
    const { runId, stage, attempt } = entry;
    this.sink.send({ runId, stage, attempt, text: entry.chunks.join(''), offset });
  }

  /** Drops whole chunks from the front until the held text fits again; the offset moves past them. */
  private dropOldest(key: string, entry: Pending): void {
    let dropped = 0;
    while (entry.bytes > MAX_HELD_BYTES / 2 && entry.chunks.length > 1) {
      const bytes = Buffer.byteLength(entry.chunks.shift() ?? '', 'utf8');
      entry.bytes -= bytes;
      dropped += bytes;
    }
    this.offsets.set(key, (this.offsets.get(key) ?? 0) + dropped);
  }
}
