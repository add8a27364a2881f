/**
 * Raw output logs of stage attempts: buffered appends with bounded memory,
 * and reads by byte offset that never split a UTF-8 character.
 */
import { closeSync, openSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ensureDir, FILE_MODE } from './atomicFile';
import { writeFully } from './eventLog';
import type { StoreError } from './storeError';
import { toStoreError } from './storeError';

/** Options of `LogWriter.open`. */
export interface LogWriterOptions {
  /** Buffered bytes that trigger a write at once instead of after `flushDelayMs` (default 256 KiB). */
  readonly flushBytes?: number;
  /** Longest wait of buffered output before it is written (default 5 ms). */
  readonly flushDelayMs?: number;
  /** Buffered bytes past which `write` returns false: the caller should pause its source (default 1 MiB). */
  readonly highWaterMark?: number;
  /** Buffered bytes past which new output is dropped and counted (default 8 MiB). */
  readonly maxBufferedBytes?: number;
  /** Called when a write fails (disk full); later writes are still attempted. */
  readonly onError?: (error: StoreError) => void;
  /** The file's directory is known to exist: `open` does not look (a stage attempt's is made once per process). */
  readonly dirExists?: boolean;
}

/**
 * Appends output to one log file. Output goes out in writes of up to
 * `flushBytes`, at most `flushDelayMs` after it came: a stage flooding its
 * output costs one write per quarter megabyte, not one per pipe read (each
 * write is a trip through the thread pool, and wakes every watcher of the
 * directory). While a write is in flight new output is coalesced into the next one. If the disk cannot keep up, `write` returns
 * false past `highWaterMark` (pause the source, wait for `drained()`), and
 * past `maxBufferedBytes` output is dropped and a marker line says how much,
 * so memory stays bounded whatever a stage prints.
 */
export class LogWriter {
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private dropped = 0;
  private writing: Promise<void> | undefined;
  private scheduled = false;
  private closed = false;
  private drainWaiters: (() => void)[] = [];
  private failure: StoreError | undefined;
  /** The file opened for appending, once there was something to write. */
  private handle: Promise<fs.FileHandle> | undefined;

  private constructor(
    /** Path of the log file. */
    readonly file: string,
    private readonly options: LogWriterOptions,
  ) {}

  /**
   * Creates (mode 0600) a log file to append to. The file exists once this
   * resolves, but it is opened for writing only when there is something to
   * write: most short stages print nothing, and each open and close would be
   * a trip through the thread pool.
   */
  static async open(file: string, options: LogWriterOptions = {}): Promise<LogWriter> {
    if (options.dirExists !== true) await ensureDir(path.dirname(file));
    try {
      closeSync(openSync(file, 'a', FILE_MODE));
    } catch (error) {
      throw toStoreError(error, 'opening log', file);
    }
    return new LogWriter(file, options);
  }

  /** Bytes dropped so far because the disk did not keep up or writes failed. */
  get droppedBytes(): number {
    return this.dropped;
  }

  /** The last write failure, if any. */
  get lastError(): StoreError | undefined {
    return this.failure;
  }

  /**
   * Buffers output. Returns false when the caller should pause until
   * `drained()`. Bytes are kept as they are, not copied: the caller must not
   * change them afterwards (chunks read from a pipe are never reused).
   */
  write(data: string | Uint8Array): boolean {
    if (this.closed) throw new Error(`log ${this.file} is closed`);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    if (this.buffered + bytes.length > (this.options.maxBufferedBytes ?? 8 * 1024 * 1024)) {
      this.dropped += bytes.length;
      return false;
    }
    this.chunks.push(bytes);
    this.buffered += bytes.length;
    if (this.buffered >= this.flushBytes) {
      // Never rejects: failures are kept in `failure` and reported via onError.
      void this.startWrite();
    } else {
      this.schedule();
    }
    return this.buffered < (this.options.highWaterMark ?? 1024 * 1024);
  }

  /** Resolves once the buffer is below the high-water mark again. */
  drained(): Promise<void> {
    if (this.buffered < (this.options.highWaterMark ?? 1024 * 1024)) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /**
   * Writes everything buffered; with `sync` also fsyncs. Rejects if a write
   * made during this flush failed (earlier failures went to `onError`).
   */
  async flush(options: { readonly sync?: boolean } = {}): Promise<void> {
    this.failure = undefined;
    while (this.writing !== undefined || this.chunks.length > 0) {
      await this.startWrite();
    }
    if (this.failure !== undefined) throw this.failure;
    // A log never opened for writing holds nothing to sync.
    if (options.sync !== true || this.handle === undefined) return;
    const opened = await this.handle.catch(() => undefined);
    await opened?.datasync().catch((error: unknown) => {
      throw toStoreError(error, 'syncing log', this.file);
    });
  }

  /**
   * Writes what is buffered and closes the file, without fsync: what reached
   * the operating system survives a crash of the engine, and a stage's raw
   * output is not worth a disk flush per attempt (a chain of short stages
   * would spend most of its time in them). Call `flush({ sync: true })` first
   * where a power cut must not lose the log.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.flush();
    } finally {
      this.closed = true;
      await (await this.handle?.catch(() => undefined))?.close();
    }
  }

  /** The file opened for appending; a failed open is tried again by the next write. */
  private fileHandle(): Promise<fs.FileHandle> {
    this.handle ??= fs.open(this.file, 'a', FILE_MODE).catch((error: unknown) => {
      this.handle = undefined;
      throw error;
    });
    return this.handle;
  }

  private get flushBytes(): number {
    return this.options.flushBytes ?? 256 * 1024;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      void this.startWrite();
    }, this.options.flushDelayMs ?? 5);
  }

  private startWrite(): Promise<void> {
    this.writing ??= this.writeBuffered().finally(() => {
      this.writing = undefined;
      if (this.buffered >= this.flushBytes) void this.startWrite();
      else if (this.chunks.length > 0) this.schedule();
    });
    return this.writing;
  }

  private async writeBuffered(): Promise<void> {
    if (this.chunks.length === 0) return;
    const batch = this.takeBatch();
    try {
      await writeAll(await this.fileHandle(), batch);
    } catch (error) {
      this.dropped += batch.reduce((sum, part) => sum + part.length, 0);
      this.failure = toStoreError(error, 'writing log', this.file);
      this.options.onError?.(this.failure);
    }
  }

  /** Takes everything buffered, in order, and wakes whoever waits for the buffer to drain. */
  private takeBatch(): Uint8Array[] {
    const parts = this.chunks;
    if (this.dropped > 0) {
      parts.unshift(
        Buffer.from(
          `\n[baton: ${this.dropped} bytes of output dropped, the disk did not keep up]\n`,
        ),
      );
      this.dropped = 0;
    }
    this.chunks = [];
    this.buffered = 0;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    waiters.forEach((resolve) => resolve());
    return parts;
  }
}

/** A slice of a log file. */
export interface LogSlice {
  readonly text: string;
  /** Where the next read should start. */
  readonly nextOffset: number;
  /** Whether `nextOffset` reached the end of the file as it was when read. */
  readonly eof: boolean;
}

/** Largest slice `readLogSlice` returns at once (4 MiB). */
export const MAX_LOG_SLICE = 4 * 1024 * 1024;

/** Length of `bytes` without an incomplete UTF-8 character at its end. */
export function completeUtf8Length(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue; // A continuation byte: look further back.
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}

/**
 * Reads up to `limit` bytes of a log from byte `offset`, ending on a whole
 * UTF-8 character (a character still being written is left for the next read).
 */
export async function readLogSlice(file: string, offset: number, limit: number): Promise<LogSlice> {
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new RangeError(`readLog: offset must be a non-negative integer, got ${offset}`);
  }
  const wanted = Math.min(MAX_LOG_SLICE, Math.max(4, Math.floor(limit)));
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(file, 'r');
    const { size } = await handle.stat();
    const buffer = Buffer.alloc(Math.max(0, Math.min(wanted, size - offset)));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
    const length = completeUtf8Length(buffer.subarray(0, bytesRead));
    const nextOffset = offset + length;
    return { text: buffer.toString('utf8', 0, length), nextOffset, eof: nextOffset >= size };
  } catch (error) {
    throw toStoreError(error, 'reading log', file);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Most buffers handed to one `writev`: Linux's IOV_MAX. */
const MAX_WRITEV_BUFFERS = 1024;

/**
 * Writes all of `parts` in order with `writev` (no copy into one buffer),
 * looping over short writes.
 */
async function writeAll(handle: fs.FileHandle, parts: readonly Uint8Array[]): Promise<void> {
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only !== undefined) return writeFully(handle, only);
  let index = 0;
  /** Bytes of `parts[index]` already written. */
  let offset = 0;
  const skipWritten = (written: number): void => {
    let left = written;
    for (let part = parts[index]; part !== undefined; part = parts[index]) {
      if (left < part.length - offset) {
        offset += left;
        return;
      }
      left -= part.length - offset;
      offset = 0;
      index += 1;
    }
  };
  skipWritten(0);
  while (index < parts.length) {
    const slice = parts.slice(index, index + MAX_WRITEV_BUFFERS);
    const first = slice[0];
    if (first !== undefined && offset > 0) slice[0] = first.subarray(offset);
    const { bytesWritten } = await handle.writev(slice);
    if (bytesWritten === 0) throw new Error('the log file took no bytes');
    skipWritten(bytesWritten);
  }
}
