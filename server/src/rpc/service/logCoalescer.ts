import type * as P from '@baton/protocol';

/** The shortest time between two sends of gathered output. */
export const LOG_FLUSH_MS = 50;
/** A stage's pending output is sent at once past this many characters. */
const FLUSH_AT_CHARS = 256 * 1024;
/** Output kept per stage while the client is not reading (in characters); beyond it, the oldest text is dropped. */
const MAX_HELD_CHARS = 1024 * 1024;
/** While more than this waits in the output pipe, log text is held back: answers never queue behind much log. */
export const MAX_BACKLOG_BYTES = 256 * 1024;

interface Pending {
  readonly key: string;
  readonly runId: string;
  readonly stage: string;
  readonly attempt: number;
  chunks: string[];
  /** UTF-16 length of the chunks: cheap to keep per line, exact bytes are counted once per send. */
  chars: number;
}

/** What the coalescer needs from the connection. */
export interface LogSink {
  send(params: Omit<P.DidAppendLogParams, 'seq'>): void;
  /** Bytes the client has not read yet. */
  backlog(): number;
}

/**
 * Gathers stage output per run, stage and attempt and sends it as one
 * `baton/didAppendLog` per stage at most every ~50 ms, never one message per
 * line. It is a throttle, not a fixed delay: output after a quiet spell goes
 * out on the next turn of the event loop, and only a stream of output waits
 * for the interval. Each message carries the byte offset of its text in the
 * attempt's log. When the client does not keep up, text is held back, and
 * past a bound the oldest held text is dropped: the next message's offset
 * then jumps, and the client reads the gap with `baton/getLog`. Memory stays
 * bounded whatever the stages print.
 */
export class LogCoalescer {
  private readonly pending = new Map<string, Pending>();
  private readonly offsets = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private lastSendAt = Number.NEGATIVE_INFINITY;
  /** The entry of the latest append: output comes in runs of lines from the same stage. */
  private last: Pending | undefined;

  constructor(
    private readonly sink: LogSink,
    private readonly intervalMs = LOG_FLUSH_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Queues output of a stage attempt. `fileOffset`, when known, is where the
   * text starts in the attempt's log (output tailed from a file part-way).
   */
  append(runId: string, stage: string, attempt: number, text: string, fileOffset?: number): void {
    if (text.length === 0) return;
    const entry = this.entryFor(runId, stage, attempt, fileOffset);
    entry.chunks.push(text);
    entry.chars += text.length;
    if (entry.chars > MAX_HELD_CHARS) this.dropOldest(entry);
    if (entry.chars >= FLUSH_AT_CHARS && this.sink.backlog() < MAX_BACKLOG_BYTES) {
      this.flushOne(entry);
    } else {
      this.schedule();
    }
  }

  /** Sends everything pending now, unless the client is behind (then it tries again later). */
  flush(): void {
    this.cancelScheduled();
    if (this.pending.size === 0) return;
    if (this.sink.backlog() >= MAX_BACKLOG_BYTES) {
      this.timer = setTimeout(() => this.flush(), this.intervalMs);
      return;
    }
    for (const entry of [...this.pending.values()]) this.flushOne(entry);
  }

  /** Sends what can be sent and stops the timer. */
  dispose(): void {
    this.flush();
    this.cancelScheduled();
  }

  private entryFor(runId: string, stage: string, attempt: number, fileOffset?: number): Pending {
    const last = this.last;
    if (
      last?.runId === runId &&
      last.stage === stage &&
      last.attempt === attempt &&
      this.pending.get(last.key) === last
    ) {
      return last;
    }
    const key = `${runId}\n${stage}\n${attempt}`;
    let entry = this.pending.get(key);
    if (entry === undefined) {
      if (fileOffset !== undefined) this.offsets.set(key, fileOffset);
      entry = { key, runId, stage, attempt, chunks: [], chars: 0 };
      this.pending.set(key, entry);
    }
    this.last = entry;
    return entry;
  }

  /** Sends on the next turn after a quiet spell, else once the interval since the last send has passed. */
  private schedule(): void {
    if (this.timer !== undefined || this.immediate !== undefined) return;
    const wait = this.lastSendAt + this.intervalMs - this.now();
    if (wait <= 0) this.immediate = setImmediate(() => this.flush());
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  private cancelScheduled(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }

  private flushOne(entry: Pending): void {
    this.pending.delete(entry.key);
    if (this.last === entry) this.last = undefined;
    const text = entry.chunks.length === 1 ? (entry.chunks[0] ?? '') : entry.chunks.join('');
    const offset = this.offsets.get(entry.key) ?? 0;
    this.offsets.set(entry.key, offset + Buffer.byteLength(text, 'utf8'));
    this.lastSendAt = this.now();
    const { runId, stage, attempt } = entry;
    this.sink.send({ runId, stage, attempt, text, offset });
  }

  /** Drops whole chunks from the front, in one splice, until half the bound is left; the offset moves past them. */
  private dropOldest(entry: Pending): void {
    let count = 0;
    let chars = entry.chars;
    while (chars > MAX_HELD_CHARS / 2 && count < entry.chunks.length - 1) {
      chars -= entry.chunks[count]?.length ?? 0;
      count += 1;
    }
    let droppedBytes = 0;
    for (const chunk of entry.chunks.splice(0, count))
      droppedBytes += Buffer.byteLength(chunk, 'utf8');
    entry.chars = chars;
    this.offsets.set(entry.key, (this.offsets.get(entry.key) ?? 0) + droppedBytes);
  }
}
