/**
 * Tells the tailer which watched names may have changed: chokidar events by
 * default (low latency, no polling), or a periodic scan of the globs when
 * asked to (`poll`) or when the watcher fails (e.g. the system's limit of
 * file watches is reached), so tailing degrades to slower, never to silent.
 */
import { watch } from 'chokidar';
import type { FSWatcher } from 'chokidar';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { glob } from 'tinyglobby';

/** Options of a `ChangeSource`. */
export interface ChangeSourceOptions {
  /** Directory the globs are relative to. */
  readonly cwd: string;
  readonly globs: readonly string[];
  /** Scan every `pollIntervalMs` instead of using file-system events. */
  readonly poll?: boolean;
  /** Interval of the scan when polling (default 1000 ms). */
  readonly pollIntervalMs?: number;
  /**
   * A matching name (absolute) may have been added, changed or removed.
   * `scanned`: found by a periodic scan rather than reported by an event.
   */
  readonly onChange: (file: string, scanned: boolean) => void;
  /** A periodic scan finished (names that vanished are not reported by it). */
  readonly onScanned?: () => void;
  readonly onError: (error: unknown) => void;
}

function nearestExistingDir(dir: string): string {
  let current = dir;
  while (!existsSync(current) && path.dirname(current) !== current) current = path.dirname(current);
  return current;
}

/**
 * The directory chokidar watches for a glob base. chokidar stops reporting
 * anything under a watched root that is deleted, even once it is back, so
 * the root is the cwd when the base lies inside it (a stage that empties and
 * re-creates its output directory stays tailed), else the base's parent.
 */
function watchRootFor(base: string, cwd: string): string {
  const inside = base === cwd || base.startsWith(cwd.endsWith(path.sep) ? cwd : cwd + path.sep);
  return nearestExistingDir(inside ? cwd : path.dirname(base));
}

/** Reports changes of the names matching a set of globs. */
export class ChangeSource {
  /** Whether an absolute path matches one of the globs. */
  readonly isMatch: (file: string) => boolean;
  private readonly patterns: string[];
  private readonly bases: string[];
  private watcher: FSWatcher | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private readonly readyPromise: Promise<void>;
  private closed = false;
  private readonly cwd: string;

  constructor(private readonly options: ChangeSourceOptions) {
    const cwd = path.resolve(options.cwd);
    this.cwd = cwd;
    this.patterns = options.globs.map((g) => path.resolve(cwd, g));
    this.bases = options.globs.map((g) => path.resolve(cwd, picomatch.scan(g).base));
    this.isMatch = picomatch(this.patterns, { dot: true });
    this.readyPromise = options.poll === true ? this.startPolling() : this.startWatching();
  }

  /** Resolves once the initial scan is done and new files will be noticed. */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  /** Absolute names of the files matching the globs right now. */
  async matchingFiles(): Promise<string[]> {
    try {
      const found = await glob(this.patterns, { absolute: true, dot: true, onlyFiles: true });
      return found.map((file) => path.resolve(file)).filter(this.isMatch);
    } catch (error) {
      this.options.onError(error);
      return [];
    }
  }

  /** Stops watching and polling. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.pollTimer !== undefined) clearInterval(this.pollTimer);
    await this.watcher?.close();
  }

  private startWatching(): Promise<void> {
    const roots = [...new Set(this.bases.map((base) => watchRootFor(base, this.cwd)))];
    const watcher = watch(roots, {
      ignoreInitial: false,
      usePolling: false,
      ignored: (file: string) => !this.isRelevant(file),
    });
    this.watcher = watcher;
    const onEvent = (file: string): void => {
      const abs = path.resolve(file);
      if (!this.closed && this.isMatch(abs)) this.options.onChange(abs, false);
    };
    watcher.on('add', onEvent).on('change', onEvent).on('unlink', onEvent);
    watcher.on('error', (error) => {
      this.options.onError(error);
      // Events may be missing from now on: scan as well, so nothing goes unseen.
      if (this.pollTimer === undefined && !this.closed) void this.startPolling();
    });
    return new Promise((resolve) => {
      watcher.once('ready', () => resolve());
    });
  }

  private async startPolling(): Promise<void> {
    const scan = async (): Promise<void> => {
      for (const file of await this.matchingFiles()) {
        if (!this.closed) this.options.onChange(file, true);
      }
      if (!this.closed) this.options.onScanned?.();
    };
    this.pollTimer = setInterval(() => void scan(), this.options.pollIntervalMs ?? 1000);
    this.pollTimer.unref();
    await scan();
  }

  /** Whether chokidar should look at this path: on the way to a glob base, or inside one. */
  private isRelevant(file: string): boolean {
    const withSep = (dir: string): string => (dir.endsWith(path.sep) ? dir : dir + path.sep);
    return this.bases.some(
      (base) => base === file || base.startsWith(withSep(file)) || file.startsWith(withSep(base)),
    );
  }
}
