/**
 * Tails the files a stage writes (`watch:` globs): every line of every
 * matching file, exactly once and in order, as soon as chokidar reports a
 * change. Survives truncation (read again from 0), rotation (the old file is
 * read to its end; if its new name also matches it continues where it was,
 * so nothing repeats), deletion and recreation, UTF-8 characters split across
 * writes, and a last line without a newline (held until the newline or
 * `close({ flushPartial: true })`).
 *
 * Reading state belongs to a file (device + inode), not to a name: a name
 * event only re-binds names to files, so the order in which chokidar reports
 * a rename and a re-creation does not matter. A file that lost its last
 * watched name stays open for a while (so its inode cannot be reused) in case
 * it reappears under another watched name.
 *
 * Limit (shared with `tail -F`): a file truncated and rewritten past its old
 * size between two reads cannot be told from one that grew; it is read on
 * from the old offset.
 */
import { EventEmitter } from 'node:events';
import { promises as fs, statSync } from 'node:fs';
import * as path from 'node:path';
import { globSync } from 'tinyglobby';
import { ChangeSource } from './changeSource';
import { LineSplitter } from './lineSplitter';

/** Events of a `FileTailer`. File names are relative to the tailer's cwd, with `/`. */
export interface FileTailerEvents {
  /** A complete line of `file`, without its line ending. */
  line: [file: string, text: string];
  /** `file` was truncated, replaced by another file, or deleted; reading restarts at 0 when it comes back. */
  reset: [file: string, reason: 'truncated' | 'replaced' | 'deleted'];
  /** A file could not be read (emitted only when someone listens). */
  error: [error: Error];
}

/** Options of a `FileTailer`. */
export interface FileTailerOptions {
  /** Directory the globs are relative to. */
  readonly cwd: string;
  /** Globs of files to tail (picomatch syntax); files may appear later. */
  readonly globs: readonly string[];
  /**
   * Read files that exist when the tailer is created from their size at that
   * moment instead of 0 (create the tailer before starting the writer).
   */
  readonly fromEnd?: boolean;
  /** Byte offsets to resume from, by file name relative to cwd (see `offsets()`). */
  readonly offsets?: Readonly<Record<string, number>>;
  /** Longest line held before it is emitted in pieces. */
  readonly maxLineLength?: number;
  /**
   * Scan the globs every `pollIntervalMs` instead of using file-system events
   * (for file systems whose notifications are unreliable, such as some network
   * drives). Scanning also starts by itself if the watcher fails.
   */
  readonly poll?: boolean;
  /** Interval of the scan when polling (default 1000 ms). */
  readonly pollIntervalMs?: number;
}

/** Reading state of one file (device + inode). */
interface TailedFile {
  readonly key: string;
  /** The name it was first seen under: the `file` of its lines. */
  readonly rel: string;
  readonly handle: fs.FileHandle;
  offset: number;
  readonly splitter: LineSplitter;
  /** Watched names (absolute) that currently point to it. */
  readonly names: Set<string>;
  running: Promise<number> | undefined;
  again: boolean;
}

/** Why a name is looked at again. */
interface PendingName {
  /** Reported by a file-system event (rather than a scan or a recheck of ours). */
  readonly fromEvent: boolean;
  /** For a recheck: how many quiet rechecks came before it. */
  readonly recheckStep?: number;
}

/** How many files without a watched name stay open waiting to reappear. */
const MAX_RETIRED = 8;
const READ_CHUNK = 64 * 1024;
/**
 * Follow-up looks at a name after an event or a change. chokidar throttles
 * change events per file (one per 50 ms) and drops one whose mtime equals
 * the previous one's (file times have a coarse clock), so the last
 * writes of a burst may never be reported. Looking again RECHECK_MS after the
 * latest activity, then at doubling intervals (RECHECK_STEPS looks, about 4 s
 * in all, enough for file systems with 1-second mtimes), catches them.
 */
const RECHECK_MS = 30;
const RECHECK_STEPS = 8;

/** Tails the files matching a set of globs. Call `close()` to release everything. */
export class FileTailer extends EventEmitter<FileTailerEvents> {
  private readonly files = new Map<string, TailedFile>();
  private readonly byName = new Map<string, TailedFile>();
  private retired: TailedFile[] = [];
  /** Names to look at again, in the order they were reported. */
  private readonly pendingNames = new Map<string, PendingName>();
  private readonly rechecks = new Map<string, NodeJS.Timeout>();
  private syncing: Promise<void> | undefined;
  private readonly startsUsed = new Set<string>();
  /** With `fromEnd`: the files that existed when the tailer was created, and their sizes then. */
  private readonly sizesAtStart = new Map<string, { ino: number; size: number }>();
  private readonly cwd: string;
  private readonly source: ChangeSource;
  private closed = false;

  constructor(private readonly options: FileTailerOptions) {
    super();
    this.cwd = path.resolve(options.cwd);
    if (options.fromEnd === true) {
      // Taken now, synchronously: whatever is written after the constructor
      // returns is read, even if the watcher's first scan sees it later.
      for (const file of globSync(options.globs as string[], {
        cwd: this.cwd,
        absolute: true,
        dot: true,
      })) {
        const stat = statSync(file, { throwIfNoEntry: false });
        if (stat?.isFile() === true) this.sizesAtStart.set(path.resolve(file), stat);
      }
    }
    this.source = new ChangeSource({
      cwd: this.cwd,
      globs: options.globs,
      ...(options.poll === undefined ? {} : { poll: options.poll }),
      ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
      // A scan already repeats itself, so only events start the recheck schedule.
      onChange: (file, scanned) => this.enqueue(file, { fromEvent: !scanned }),
      onScanned: () => {
        // Names we read from may have vanished: look at them too.
        for (const name of this.byName.keys()) this.enqueue(name, { fromEvent: false });
      },
      onError: (error) => this.report(error),
    });
  }

  /** Resolves once the initial scan is done and new files will be noticed. */
  ready(): Promise<void> {
    return this.source.ready();
  }

  /** Byte offsets read so far, by file name; pass them as `offsets` to continue after a restart. */
  offsets(): Record<string, number> {
    const result: Record<string, number> = {};
    for (const [abs, file] of this.byName) result[this.relative(abs)] = file.offset;
    return result;
  }

  /**
   * Stops watching, reads every matching file to its end one last time (so
   * nothing written before the call is missed), optionally emits held lines
   * without a newline, and closes all files.
   */
  async close(options: { readonly flushPartial?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.rechecks.values()) clearTimeout(timer);
    this.rechecks.clear();
    await this.source.close();
    for (const name of [...(await this.source.matchingFiles()), ...this.byName.keys()]) {
      this.pendingNames.set(name, { fromEvent: false });
    }
    await this.syncNames();
    const open = [...new Set([...this.files.values(), ...this.retired])];
    await Promise.all(open.map((file) => this.pump(file)));
    for (const file of open) {
      const last = file.splitter.end();
      if (options.flushPartial === true && last !== undefined) this.emit('line', file.rel, last);
      await file.handle.close().catch(() => undefined);
    }
    this.files.clear();
    this.byName.clear();
    this.retired = [];
  }

  private relative(abs: string): string {
    return path.relative(this.cwd, abs).split(path.sep).join('/');
  }

  private enqueue(abs: string, why: PendingName): void {
    const earlier = this.pendingNames.get(abs);
    // An event outranks a recheck: it restarts the recheck schedule.
    this.pendingNames.set(abs, earlier === undefined || why.fromEvent ? why : earlier);
    this.syncNames().catch((error: unknown) => this.report(error));
  }

  /** Looks at `abs` again after the delay of recheck `step`, replacing any look already due. */
  private scheduleRecheck(abs: string, step: number): void {
    clearTimeout(this.rechecks.get(abs));
    this.rechecks.delete(abs);
    if (this.closed || step >= RECHECK_STEPS) return;
    const timer = setTimeout(
      () => {
        this.rechecks.delete(abs);
        if (!this.closed) this.enqueue(abs, { fromEvent: false, recheckStep: step });
      },
      RECHECK_MS * 2 ** step,
    );
    timer.unref();
    this.rechecks.set(abs, timer);
  }

  /** Processes pending names one at a time, in the order they were reported. */
  private syncNames(): Promise<void> {
    this.syncing ??= (async () => {
      try {
        for (
          let next = this.pendingNames.entries().next();
          !next.done;
          next = this.pendingNames.entries().next()
        ) {
          const [abs, why] = next.value;
          this.pendingNames.delete(abs);
          const changed = await this.syncName(abs).catch((error: unknown) => {
            this.report(error);
            return true;
          });
          if (changed || why.fromEvent) this.scheduleRecheck(abs, 0);
          else if (why.recheckStep !== undefined) this.scheduleRecheck(abs, why.recheckStep + 1);
        }
      } finally {
        this.syncing = undefined;
      }
    })();
    return this.syncing;
  }

  /**
   * Binds a name to the file it now points to (or to none) and reads what is
   * new. Returns whether anything changed.
   */
  private async syncName(abs: string): Promise<boolean> {
    const previous = this.byName.get(abs);
    const stat = await fs.stat(abs).catch(() => undefined);
    const key = stat?.isFile() === true ? `${stat.dev}:${stat.ino}` : undefined;
    if (previous !== undefined && previous.key === key) {
      return (await this.pump(previous)) > 0;
    }
    if (previous !== undefined) await this.unbind(abs, previous);
    if (key === undefined) return previous !== undefined;
    const file = this.files.get(key) ?? this.revive(key) ?? (await this.openFile(abs));
    if (file === undefined) return previous !== undefined;
    file.names.add(abs);
    this.byName.set(abs, file);
    await this.pump(file);
    return true;
  }

  /** Opens the file a name points to, starting where the options say. */
  private async openFile(abs: string): Promise<TailedFile | undefined> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(abs, 'r');
    } catch {
      return undefined; // Gone again: the next event says what happened.
    }
    const stat = await handle.stat();
    const key = `${stat.dev}:${stat.ino}`;
    const known = this.files.get(key) ?? this.revive(key);
    if (known !== undefined || !stat.isFile()) {
      await handle.close();
      return known;
    }
    const rel = this.relative(abs);
    const file: TailedFile = {
      key,
      rel,
      handle,
      offset: this.startOffset(abs, rel, stat),
      splitter: new LineSplitter(this.options.maxLineLength),
      names: new Set(),
      running: undefined,
      again: false,
    };
    this.files.set(key, file);
    return file;
  }

  /** Where to start reading a file seen for the first time under the name `abs`. */
  private startOffset(abs: string, rel: string, stat: { ino: number; size: number }): number {
    if (this.startsUsed.has(rel)) return 0;
    this.startsUsed.add(rel);
    const saved = this.options.offsets?.[rel];
    if (saved !== undefined) return saved <= stat.size ? saved : 0;
    const before = this.sizesAtStart.get(abs);
    return before !== undefined && before.ino === stat.ino ? Math.min(before.size, stat.size) : 0;
  }

  /** A name no longer points to `file`: if it was its last name, finish or retire the file. */
  private async unbind(abs: string, file: TailedFile): Promise<void> {
    file.names.delete(abs);
    this.byName.delete(abs);
    if (file.names.size > 0) return;
    this.files.delete(file.key);
    await this.pump(file);
    const { nlink } = await file.handle.stat();
    if (nlink === 0) {
      // Deleted: nothing more can be written to it, so its last line is complete.
      this.emitLast(file);
      await file.handle.close().catch(() => undefined);
      this.emit('reset', file.rel, 'deleted');
      return;
    }
    // Renamed away (rotation): keep it open, it may reappear under a watched name.
    this.retired.push(file);
    while (this.retired.length > MAX_RETIRED) {
      const old = this.retired.shift();
      if (old !== undefined) {
        this.emitLast(old);
        await old.handle.close().catch(() => undefined);
      }
    }
    this.emit('reset', file.rel, 'replaced');
  }

  private revive(key: string): TailedFile | undefined {
    const index = this.retired.findIndex((old) => old.key === key);
    const file = index === -1 ? undefined : this.retired.splice(index, 1)[0];
    if (file !== undefined) this.files.set(key, file);
    return file;
  }

  /**
   * Reads `file` until nothing is new; concurrent calls coalesce into one more
   * pass. Resolves to the number of bytes read.
   */
  private pump(file: TailedFile): Promise<number> {
    file.again = true;
    file.running ??= (async () => {
      let total = 0;
      try {
        while (file.again) {
          file.again = false;
          total += await this.readToEnd(file).catch((error: unknown) => {
            this.report(error);
            return 0;
          });
        }
        return total;
      } finally {
        file.running = undefined;
      }
    })();
    return file.running;
  }

  /** Reads from the file's offset to its end; returns the number of bytes read. */
  private async readToEnd(file: TailedFile): Promise<number> {
    const { size } = await file.handle.stat();
    if (size < file.offset) {
      this.emitLast(file);
      file.offset = 0;
      this.emit('reset', file.rel, 'truncated');
    }
    const buffer = Buffer.allocUnsafe(READ_CHUNK);
    for (let total = 0; ;) {
      const { bytesRead } = await file.handle.read(buffer, 0, buffer.length, file.offset);
      if (bytesRead === 0) return total;
      total += bytesRead;
      file.offset += bytesRead;
      for (const line of file.splitter.push(buffer.subarray(0, bytesRead))) {
        this.emit('line', file.rel, line);
      }
    }
  }

  private emitLast(file: TailedFile): void {
    const last = file.splitter.end();
    if (last !== undefined) this.emit('line', file.rel, last);
  }

  private report(error: unknown): void {
    if (this.listenerCount('error') > 0) {
      this.emit('error', error instanceof Error ? error : new Error(String(error)));
    }
  }
}
