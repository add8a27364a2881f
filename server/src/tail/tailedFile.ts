/**
 * Reading state of one tailed file (device + inode): its descriptor, how far
 * it was read, the unfinished last line, the watched names that point to it,
 * and the inode watch that reports its writes.
 */
import type { promises as fs } from 'node:fs';
import type { InodeWatch, WatchFile } from './inodeWatch';
import { LineSplitter } from '../output/lineSplitter';
import type { LineEnding } from '../output/lineSplitter';

/** Longest line of a tailed file held before it is reported in pieces (1 MiB of text). */
export const DEFAULT_TAIL_LINE_LENGTH = 1024 * 1024;

/** The first read of a pass: most passes find one short append. */
const FIRST_READ = 16 * 1024;
/** Later reads of a pass, when the first one filled its buffer. */
const READ_CHUNK = 64 * 1024;
/**
 * Least time between the starts of two reads prompted by the inode watch. A
 * write after a quiet spell is read at once; a file written continuously is
 * read at most this often, which bounds the work a chatty writer causes
 * (every write is an inotify event) while adding at most this much delay.
 */
const MIN_READ_INTERVAL_MS = 10;

/** Where a tailed file reports to (the tailer that owns it). */
export interface TailedFileSink {
  /** A line; `end` is the byte offset just past it and its line ending. */
  line(file: TailedFile, text: string, end: number): void;
  truncated(file: TailedFile): void;
  /** The file was renamed or lost a link: the names pointing to it need looking at. */
  namesMayHaveChanged(file: TailedFile): void;
  error(error: unknown): void;
}

/** What a `TailedFile` starts from. */
export interface TailedFileInit {
  /** Device and inode, `dev:ino`. */
  readonly key: string;
  /** The name it was first seen under, relative to the tailer's cwd: the `file` of its lines. */
  readonly rel: string;
  readonly handle: fs.FileHandle;
  readonly offset: number;
  readonly maxLineLength: number | undefined;
}

/** One open file being tailed. */
export class TailedFile {
  readonly key: string;
  readonly rel: string;
  /** Bytes read so far (the next read starts here). */
  offset: number;
  /** Where the last line reported ends (with its line ending). */
  private lineEnd: number;
  /** Watched names (absolute) that currently point to it. */
  readonly names = new Set<string>();
  private readonly handle: fs.FileHandle;
  private readonly splitter: LineSplitter;
  /** Lines the splitter delivered and this file has not reported yet, with how each ended. */
  private lines: { readonly text: string; readonly ending: LineEnding }[] = [];
  private running: Promise<number> | undefined;
  private again = false;
  private watch: InodeWatch | undefined;
  /** A read prompted by the inode watch, waiting for MIN_READ_INTERVAL_MS to pass. */
  private readTimer: NodeJS.Timeout | undefined;
  private lastReadAt = Number.NEGATIVE_INFINITY;
  private closed = false;

  constructor(
    init: TailedFileInit,
    private readonly sink: TailedFileSink,
  ) {
    this.key = init.key;
    this.rel = init.rel;
    this.handle = init.handle;
    this.offset = init.offset;
    this.lineEnd = init.offset;
    // In a file a lone `\r` is part of its line, as it always was for tailed files.
    this.splitter = new LineSplitter(
      (text, ending) => this.lines.push({ text, ending }),
      init.maxLineLength ?? DEFAULT_TAIL_LINE_LENGTH,
      'text',
    );
  }

  /** Whether an inode watch reports every write to this file. */
  get isWatched(): boolean {
    return this.watch !== undefined;
  }

  /**
   * Follows the file's writes through `watchFile` on `abs`, a name that
   * pointed to it a moment ago. Without a watch (none could be set, or it
   * stopped), the owner's other sources of changes are all there is.
   */
  startWatch(abs: string, watchFile: WatchFile): void {
    if (this.closed || this.watch !== undefined) return;
    this.watch = watchFile(
      abs,
      (event) => {
        if (this.closed) return;
        if (event === 'moved') this.sink.namesMayHaveChanged(this);
        else this.readSoon();
      },
      () => {
        this.watch = undefined;
        // The failure may have swallowed the event of a write: look once now.
        if (!this.closed) this.pump().catch((error: unknown) => this.sink.error(error));
      },
    );
  }

  /** Stops the inode watch (it turned out to watch some other file). */
  stopWatch(): void {
    this.watch?.close();
    this.watch = undefined;
  }

  /**
   * Reads until nothing is new; calls during a read coalesce into one more
   * pass, so a write reported while reading is never missed. Resolves to the
   * number of bytes read.
   */
  pump(): Promise<number> {
    this.again = true;
    this.running ??= (async () => {
      let total = 0;
      try {
        while (this.again && !this.closed) {
          this.again = false;
          total += await this.readToEnd().catch((error: unknown) => {
            this.sink.error(error);
            return 0;
          });
        }
        return total;
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** Reads now, or once MIN_READ_INTERVAL_MS has passed since the last read. */
  private readSoon(): void {
    if (this.readTimer !== undefined) return;
    const wait = this.lastReadAt + MIN_READ_INTERVAL_MS - performance.now();
    if (wait <= 0) {
      this.pump().catch((error: unknown) => this.sink.error(error));
      return;
    }
    this.readTimer = setTimeout(() => {
      this.readTimer = undefined;
      this.pump().catch((error: unknown) => this.sink.error(error));
    }, wait);
  }

  /** How many names the file has on disk (0 once deleted). */
  async linkCount(): Promise<number> {
    return (await this.handle.stat()).nlink;
  }

  /** Ends the unfinished last line: returns it, or undefined when none is held. */
  takeLast(): string | undefined {
    this.splitter.flush();
    const last = this.takeLines().map((line) => line.text);
    return last.length === 0 ? undefined : last.join('');
  }

  private takeLines(): { readonly text: string; readonly ending: LineEnding }[] {
    const lines = this.lines;
    this.lines = [];
    return lines;
  }

  /** Stops the watch and closes the descriptor. */
  async close(): Promise<void> {
    this.closed = true;
    this.stopWatch();
    clearTimeout(this.readTimer);
    this.readTimer = undefined;
    await this.handle.close().catch(() => undefined);
  }

  /**
   * Reads from the offset until the end; returns the number of bytes read.
   * The size is asked only when a read finds nothing: an append costs one
   * read, and a shrunk file (truncation) or a lost link shows up then.
   */
  private async readToEnd(): Promise<number> {
    this.lastReadAt = performance.now();
    let total = 0;
    let chunk = FIRST_READ;
    while (!this.closed) {
      const buffer = Buffer.allocUnsafe(chunk);
      const { bytesRead } = await this.handle.read(buffer, 0, chunk, this.offset);
      if (bytesRead === 0) {
        if (!(await this.checkShrunk())) return total;
        continue;
      }
      total += bytesRead;
      const start = this.offset;
      this.offset += bytesRead;
      const bytes = buffer.subarray(0, bytesRead);
      // A newline byte never occurs inside a UTF-8 character, so the chunk's newlines
      // are where its whole lines end; pieces of an overlong line come after them.
      // A piece of an overlong line ends where its bytes do.
      this.splitter.push(bytes);
      let from = 0;
      for (const { text, ending } of this.takeLines()) {
        const newline = ending === 'split' ? -1 : bytes.indexOf(0x0a, from);
        if (newline < 0) {
          this.lineEnd += Buffer.byteLength(text);
          from = Math.max(from, this.lineEnd - start);
        } else {
          from = newline + 1;
          this.lineEnd = start + from;
        }
        this.sink.line(this, text, this.lineEnd);
      }
      // A short read reached the end; a later write brings another event.
      if (bytesRead < chunk) return total;
      chunk = READ_CHUNK;
    }
    return total;
  }

  /**
   * At the end of what could be read: whether the file was truncated (then
   * reading starts again at 0). Reports a lost link on the way: a deletion
   * or rename-over shows as a change of the link count, not as a move.
   */
  private async checkShrunk(): Promise<boolean> {
    const { size, nlink } = await this.handle.stat();
    if (nlink === 0 && this.names.size > 0) this.sink.namesMayHaveChanged(this);
    if (size >= this.offset) return false;
    const last = this.takeLast();
    if (last !== undefined) this.sink.line(this, last, this.offset);
    this.splitter.reset();
    this.offset = 0;
    this.lineEnd = 0;
    this.sink.truncated(this);
    return true;
  }
}
