/**
 * Tails the files a stage writes (`watch:` globs): every line of every
 * matching file, exactly once and in order, as soon as it is written.
 * chokidar finds the files; once a file is open, an inode watch (`fs.watch`)
 * reports each of its writes without chokidar's per-name throttle. Where no
 * inode watch can be set (the inotify limit is reached, say), chokidar's
 * events and follow-up looks take over, and a slow look at every open file
 * catches what file-system events miss altogether.
 *
 * Survives truncation (read again from 0), rotation (the old file is read to
 * its end, including what its writer adds before reopening; if its new name
 * also matches it continues where it was, so nothing repeats), deletion and
 * recreation of files and of their directory, UTF-8 characters split across
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
import { watchFileWithFsWatch } from './inodeWatch';
import type { WatchFile } from './inodeWatch';
import { TailedFile } from './tailedFile';
import type { TailedFileSink } from './tailedFile';

/** Events of a `FileTailer`. File names are relative to the tailer's cwd, with `/`. */
export interface FileTailerEvents {
  /**
   * A complete line of `file`, without its line ending; `end` is the byte
   * offset in the file just past the line and its ending.
   */
  line: [file: string, text: string, end: number];
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
   * Scan the globs every `pollIntervalMs` instead of using file-system events,
   * inode watches included (for file systems whose notifications are
   * unreliable, such as some network drives). Scanning also starts by itself
   * if chokidar fails.
   */
  readonly poll?: boolean;
  /** Interval of the scan when polling (default 1000 ms). */
  readonly pollIntervalMs?: number;
  /**
   * How the writes of an open file are followed (default: `fs.watch`). When
   * it cannot watch a file, that file is followed through chokidar's events.
   */
  readonly watchFile?: WatchFile;
  /**
   * Every open file is looked at this often whatever the events say
   * (default 1000 ms): inotify says nothing of writes made by another
   * machine to a network file system.
   */
  readonly safetyPollMs?: number;
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
/**
 * Follow-up looks at a name whose file has no inode watch, after an event or
 * a change. chokidar throttles change events per file (one per 50 ms) and
 * drops one whose mtime equals the previous one's (file times have a coarse
 * clock), so the last writes of a burst may never be reported. Looking again
 * RECHECK_MS after the latest activity, then at doubling intervals
 * (RECHECK_STEPS looks, about 4 s in all, enough for file systems with
 * 1-second mtimes), catches them.
 */
const RECHECK_MS = 30;
const RECHECK_STEPS = 8;
const SAFETY_POLL_MS = 1000;

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
  private readonly watchFile: WatchFile;
  private readonly sink: TailedFileSink;
  private readonly safetyPoll: NodeJS.Timeout;
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
      // Names we read from may have vanished: look at them too.
      onScanned: () => this.lookAtOpenFiles(),
      onError: (error) => this.report(error),
    });
    // Polling is asked for where file-system events cannot be trusted: then none are used.
    this.watchFile =
      options.poll === true ? () => undefined : (options.watchFile ?? watchFileWithFsWatch);
    this.sink = {
      line: (file, text, end) => this.emit('line', file.rel, text, end),
      truncated: (file) => this.emit('reset', file.rel, 'truncated'),
      namesMayHaveChanged: (file) => {
        for (const name of file.names) this.enqueue(name, { fromEvent: true });
      },
      error: (error) => this.report(error),
    };
    this.safetyPoll = setInterval(() => {
      this.lookAtOpenFiles();
      this.findMissedFiles().catch((error: unknown) => this.report(error));
    }, options.safetyPollMs ?? SAFETY_POLL_MS);
    this.safetyPoll.unref();
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
    clearInterval(this.safetyPoll);
    for (const timer of this.rechecks.values()) clearTimeout(timer);
    this.rechecks.clear();
    await this.source.close();
    for (const name of [...(await this.source.matchingFiles()), ...this.byName.keys()]) {
      this.pendingNames.set(name, { fromEvent: false });
    }
    await this.syncNames();
    const open = [...new Set([...this.files.values(), ...this.retired])];
    await Promise.all(open.map((file) => file.pump()));
    for (const file of open) {
      const last = file.takeLast();
      if (options.flushPartial === true && last !== undefined)
        this.emit('line', file.rel, last, file.offset);
      await file.close();
    }
    this.files.clear();
    this.byName.clear();
    this.retired = [];
  }

  /** Looks again at every open file: through its names, or directly when it has none left. */
  private lookAtOpenFiles(): void {
    for (const name of this.byName.keys()) this.enqueue(name, { fromEvent: false });
    for (const file of this.retired) file.pump().catch((error: unknown) => this.report(error));
  }

  /**
   * Finds matching files that no event announced: under load a watcher can
   * miss a directory re-created right after its deletion, together with the
   * files made in it at once, and nothing would ever report them.
   */
  private async findMissedFiles(): Promise<void> {
    for (const abs of await this.source.matchingFiles()) {
      if (this.closed) return;
      if (!this.byName.has(abs) && !this.pendingNames.has(abs)) {
        this.enqueue(abs, { fromEvent: false });
      }
    }
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

  /** After a look at `abs`: when (if ever) to look at it again. */
  private planRecheck(abs: string, why: PendingName, changed: boolean): void {
    // A file with an inode watch reports its own writes: no follow-up looks needed.
    if (this.byName.get(abs)?.isWatched === true) this.cancelRecheck(abs);
    else if (changed || why.fromEvent) this.scheduleRecheck(abs, 0);
    else if (why.recheckStep !== undefined) this.scheduleRecheck(abs, why.recheckStep + 1);
  }

  private cancelRecheck(abs: string): void {
    clearTimeout(this.rechecks.get(abs));
    this.rechecks.delete(abs);
  }

  /** Looks at `abs` again after the delay of recheck `step`, replacing any look already due. */
  private scheduleRecheck(abs: string, step: number): void {
    this.cancelRecheck(abs);
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
          this.planRecheck(abs, why, changed);
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
      return (await previous.pump()) > 0;
    }
    if (previous !== undefined) await this.unbind(abs, previous);
    if (key === undefined) return previous !== undefined;
    const file = this.files.get(key) ?? this.revive(key) ?? (await this.openFile(abs));
    if (file === undefined) return previous !== undefined;
    file.names.add(abs);
    this.byName.set(abs, file);
    await file.pump();
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
    const offset = this.startOffset(abs, rel, stat);
    const { maxLineLength } = this.options;
    const file = new TailedFile({ key, rel, handle, offset, maxLineLength }, this.sink);
    this.files.set(key, file);
    // Set before the first read, so that no write after that read goes unreported.
    file.startWatch(abs, this.watchFile);
    // The name may have moved on to another file before the watch was set: then it watches that one.
    const now = await fs.stat(abs).catch(() => undefined);
    if (now !== undefined && `${now.dev}:${now.ino}` !== key) file.stopWatch();
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
    await file.pump();
    if ((await file.linkCount()) === 0) {
      // Deleted: nothing more can be written to it, so its last line is complete.
      this.emitLast(file);
      await file.close();
      this.emit('reset', file.rel, 'deleted');
      return;
    }
    // Renamed away (rotation): keep it open, it may reappear under a watched name.
    this.retired.push(file);
    while (this.retired.length > MAX_RETIRED) {
      const old = this.retired.shift();
      if (old !== undefined) {
        this.emitLast(old);
        await old.close();
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

  private emitLast(file: TailedFile): void {
    const last = file.takeLast();
    if (last !== undefined) this.emit('line', file.rel, last, file.offset);
  }

  private report(error: unknown): void {
    if (this.listenerCount('error') > 0) {
      this.emit('error', error instanceof Error ? error : new Error(String(error)));
    }
  }
}
