/**
 * The run's event log, `events.jsonl`: one `LoggedEvent` as JSON per line, in
 * sequence order. The writer batches the appends of one tick into one write
 * and never leaves half a line behind after a failed write; the reader streams
 * the file and survives a torn last line (a crash mid-write) and garbage lines.
 */
import type { LoggedEvent } from '@baton/core';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ensureDir, FILE_MODE, fsyncDir } from './atomicFile';
import { scanLineBatches } from './lineScanner';
import type { ScanItem } from './lineScanner';
import type { StoreError } from './storeError';
import { hasCode, toStoreError } from './storeError';

/** Something wrong in an event log that the reader skipped. */
export interface EventLogIssue {
  /** 1-based line number. */
  readonly line: number;
  readonly kind: 'torn' | 'garbage' | 'outOfOrder' | 'oversized';
  /** What is wrong, in plain words. */
  readonly message: string;
}

/** What `readEventLog` returns. */
export interface EventLogContents {
  readonly events: LoggedEvent[];
  readonly issues: EventLogIssue[];
  /** Sequence number of the last valid event in the file (0 when none). */
  readonly lastSeq: number;
}

/** One item of `iterateEventLog`: an event, or an issue the reader skipped. */
export type EventLogItem =
  | { readonly kind: 'event'; readonly event: LoggedEvent }
  | { readonly kind: 'issue'; readonly issue: EventLogIssue };

function excerpt(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Why a parsed JSON value is not a logged event, or undefined when it is one. */
function eventProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'not a JSON object';
  }
  const record = value as Record<string, unknown>;
  if (typeof record.seq !== 'number' || !Number.isSafeInteger(record.seq) || record.seq < 1) {
    return 'missing or invalid "seq"';
  }
  if (typeof record.type !== 'string') {
    return 'missing or invalid "type"';
  }
  return typeof record.at === 'number' ? undefined : 'missing or invalid "at"';
}

/** One line of an event log as an event, or what is wrong with it (`line` is its 1-based number). */
export function parseEventLine(line: number, text: string): EventLogItem {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const message = `line ${line} is not valid JSON: ${excerpt(text)}`;
    return { kind: 'issue', issue: { line, kind: 'garbage', message } };
  }
  const problem = eventProblem(value);
  if (problem !== undefined) {
    const message = `line ${line} is not an event (${problem}): ${excerpt(text)}`;
    return { kind: 'issue', issue: { line, kind: 'garbage', message } };
  }
  return { kind: 'event', event: value as LoggedEvent };
}

/** Where `eventItemsOf` has got to in a log: the last valid event's `seq`. */
interface EventCursor {
  lastSeq: number;
}

/**
 * The event-log items of one batch of scanned lines, in order (see
 * `iterateEventLog`); `cursor` carries the last valid `seq` across batches.
 */
function eventItemsOf(
  batch: readonly ScanItem[],
  cursor: EventCursor,
  afterSeq: number,
): EventLogItem[] {
  const items: EventLogItem[] = [];
  for (const item of batch) {
    if (item.kind === 'torn') {
      const message = `line ${item.line} is incomplete (${item.bytes} bytes without a newline, probably cut by a crash) and was ignored`;
      items.push({ kind: 'issue', issue: { line: item.line, kind: 'torn', message } });
    } else if (item.kind === 'oversized') {
      const message = `line ${item.line} is too long (${item.bytes} bytes) and was skipped`;
      items.push({ kind: 'issue', issue: { line: item.line, kind: 'oversized', message } });
    } else if (item.text.trim() !== '') {
      const parsed = parseEventLine(item.line, item.text);
      if (parsed.kind === 'event' && parsed.event.seq <= cursor.lastSeq) {
        const message = `line ${item.line} has seq ${parsed.event.seq}, not after ${cursor.lastSeq}; skipped`;
        items.push({ kind: 'issue', issue: { line: item.line, kind: 'outOfOrder', message } });
      } else if (parsed.kind === 'event') {
        cursor.lastSeq = parsed.event.seq;
        if (cursor.lastSeq > afterSeq) items.push(parsed);
      } else {
        items.push(parsed);
      }
    }
  }
  return items;
}

/** The event-log items of `file`, one array per chunk read; a missing file yields nothing. */
async function* eventItemBatches(file: string, afterSeq: number): AsyncGenerator<EventLogItem[]> {
  const cursor: EventCursor = { lastSeq: 0 };
  try {
    for await (const batch of scanLineBatches(file)) yield eventItemsOf(batch, cursor, afterSeq);
  } catch (error) {
    if (!hasCode(error, 'ENOENT')) throw toStoreError(error, 'reading', file);
  }
}

/**
 * Streams the events of an event log in order, skipping (and yielding as
 * issues) garbage lines, events whose `seq` does not increase, and a torn
 * final line. Only events with `seq > afterSeq` are yielded. A missing file
 * yields nothing.
 */
export async function* iterateEventLog(file: string, afterSeq = 0): AsyncGenerator<EventLogItem> {
  for await (const items of eventItemBatches(file, afterSeq)) yield* items;
}

/**
 * Reads a whole event log (streamed; see `iterateEventLog`) into memory. It
 * takes the lines a chunk at a time, so replaying the tail of a long log after
 * a checkpoint costs one asynchronous step per 64 KiB, not one per line.
 */
export async function readEventLog(file: string, afterSeq = 0): Promise<EventLogContents> {
  const events: LoggedEvent[] = [];
  const issues: EventLogIssue[] = [];
  for await (const items of eventItemBatches(file, afterSeq)) {
    for (const item of items) {
      if (item.kind === 'event') events.push(item.event);
      else issues.push(item.issue);
    }
  }
  const last = events[events.length - 1];
  return { events, issues, lastSeq: last?.seq ?? afterSeq };
}

/**
 * Cuts a torn last line (bytes after the final newline) off an event log, so
 * appending can continue on a clean line boundary. Only the file's tail is
 * read. Returns the number of bytes removed (0 when the log was clean or does
 * not exist).
 */
export async function repairEventLog(file: string): Promise<number> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(file, 'r+');
    const { size } = await handle.stat();
    const keep = await endOfLastLine(handle, size);
    if (keep < size) {
      await handle.truncate(keep);
      await handle.sync();
    }
    return size - keep;
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return 0;
    throw toStoreError(error, 'repairing', file);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Byte offset just after the last newline of the file (0 when there is none). */
async function endOfLastLine(handle: fs.FileHandle, size: number): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024);
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - chunk.length);
    const { bytesRead } = await handle.read(chunk, 0, end - start, start);
    const nl = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (nl !== -1) return start + nl + 1;
    end = start;
  }
  return 0;
}

/** Options of `EventLogWriter.open`. */
export interface EventLogWriterOptions {
  /** fsync on every `flush()`, not only when asked (`flush({ sync: true })`). */
  readonly syncEveryFlush?: boolean;
  /** Called when a background write fails; `flush()` rejects with the same error. */
  readonly onError?: (error: StoreError) => void;
  /** Sequence number of the last event already in the log; appends must follow it. */
  readonly lastSeq?: number;
}

/**
 * Appends events to `events.jsonl`. `append` is synchronous and cheap: events
 * appended during one tick go out in one write. A failed write (disk full) is
 * rolled back to the last complete line and its events are kept in memory,
 * so a later `flush()` can write them once space is back.
 */
export class EventLogWriter {
  private pending: string[] = [];
  private writing: Promise<void> | undefined;
  private scheduled = false;
  private failure: StoreError | undefined;
  private needsRollback = false;
  private closed = false;
  private lastSeq: number;

  private constructor(
    /** Path of the log file. */
    readonly file: string,
    private readonly handle: fs.FileHandle,
    private committedBytes: number,
    private readonly options: EventLogWriterOptions,
  ) {
    this.lastSeq = options.lastSeq ?? 0;
  }

  /**
   * Opens (creating, mode 0600) an event log for appending. A torn last line
   * left by a crash is cut off first, so new events start on a fresh line.
   */
  static async open(file: string, options: EventLogWriterOptions = {}): Promise<EventLogWriter> {
    await ensureDir(path.dirname(file));
    await repairEventLog(file);
    try {
      const handle = await fs.open(file, 'a', FILE_MODE);
      const { size } = await handle.stat();
      // A new log's directory entry must be durable too, not only its content.
      if (size === 0) await fsyncDir(path.dirname(file));
      return new EventLogWriter(file, handle, size, options);
    } catch (error) {
      throw toStoreError(error, 'opening', file);
    }
  }

  /** Bytes appended but not yet written. */
  get pendingBytes(): number {
    return this.pending.reduce((sum, line) => sum + line.length, 0);
  }

  /** The last write failure, until a `flush()` succeeds. */
  get lastError(): StoreError | undefined {
    return this.failure;
  }

  /**
   * Queues one event; it is written with the others of this tick. Throws a
   * RangeError if its `seq` does not follow the last one: a log with gaps or
   * repeats would not replay to the same state.
   */
  append(event: LoggedEvent): void {
    if (this.closed) throw new Error(`event log ${this.file} is closed`);
    if (!Number.isSafeInteger(event.seq) || event.seq <= this.lastSeq) {
      throw new RangeError(
        `event log ${this.file}: seq ${event.seq} does not follow the last seq ${this.lastSeq}`,
      );
    }
    this.lastSeq = event.seq;
    // Serialise now: the caller may reuse or change the object afterwards.
    this.pending.push(`${JSON.stringify(event)}\n`);
    this.schedule();
  }

  /**
   * Writes everything appended so far; with `sync` (or `syncEveryFlush`) also
   * fsyncs, which checkpoints and final states should ask for. After a failed
   * write, `flush` tries again; it rejects with a `StoreError` if that fails.
   */
  async flush(options: { readonly sync?: boolean } = {}): Promise<void> {
    this.failure = undefined;
    await this.drain();
    if (options.sync === true || this.options.syncEveryFlush === true) {
      try {
        await this.handle.datasync();
      } catch (error) {
        throw this.fail(error);
      }
    }
  }

  /** Flushes with fsync and closes the file. Appending afterwards throws. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.flush({ sync: true });
    } finally {
      this.closed = true;
      await this.handle.close();
    }
  }

  private schedule(): void {
    if (this.scheduled || this.writing !== undefined || this.failure !== undefined) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      // The error is kept in `failure` and reported through onError and flush().
      this.drain().catch(() => undefined);
    });
  }

  private drain(): Promise<void> {
    this.writing ??= this.writeAll().finally(() => {
      this.writing = undefined;
    });
    return this.writing;
  }

  private async writeAll(): Promise<void> {
    while (this.pending.length > 0 && !this.closed) {
      const count = this.pending.length;
      const bytes = Buffer.from(this.pending.join(''), 'utf8');
      try {
        if (this.needsRollback) await this.rollback();
        await writeFully(this.handle, bytes);
      } catch (error) {
        this.needsRollback = true;
        await this.rollback().catch(() => undefined);
        throw this.fail(error);
      }
      this.committedBytes += bytes.length;
      this.pending.splice(0, count);
    }
  }

  /** Cuts whatever part of a failed write reached the file. */
  private async rollback(): Promise<void> {
    await this.handle.truncate(this.committedBytes);
    this.needsRollback = false;
  }

  private fail(error: unknown): StoreError {
    const failure = toStoreError(error, 'appending to', this.file);
    this.failure = failure;
    this.options.onError?.(failure);
    return failure;
  }
}

/** Writes all of `bytes`, looping over short writes. */
export async function writeFully(handle: fs.FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, null);
    offset += bytesWritten;
  }
}
