import { statKeyOf } from './statKey';
import * as fs from 'node:fs';
import type { StatWitness } from './statWitness';
import { readVersionedCache, writeVersionedCache } from './versionedCache';

/** What a directory entry is, as far as matching `deps:` needs to know. */
export type ListedKind = 'file' | 'symlink' | 'other';

/** One entry of a directory. */
export interface ListedEntry {
  readonly name: string;
  readonly kind: ListedKind;
}

/** Format version of the listing cache file; another version is ignored. */
const LISTING_CACHE_VERSION = 1;

/** As for files (`FileHasher`): a directory changed this recently may change again unseen. */
const RACY_WINDOW_MS = 2000;

/** Above this many directories, `save` keeps only the ones listed since the cache was read. */
const LISTING_CACHE_LIMIT = 50_000;

const KIND_LETTERS: Readonly<Record<ListedKind, string>> = { file: 'f', symlink: 'l', other: 'o' };
const LETTER_KINDS: Readonly<Record<string, ListedKind>> = { f: 'file', l: 'symlink', o: 'other' };

function kindOf(entry: fs.Dirent): ListedKind {
  if (entry.isFile()) return 'file';
  return entry.isSymbolicLink() ? 'symlink' : 'other';
}

/**
 * A listing as the cache file holds it: the directory's stat key, then each
 * entry as its kind letter and name, all separated by `/` (which no name
 * can hold).
 */
function encode(statKey: string, entries: readonly ListedEntry[]): string {
  return [statKey, ...entries.map((e) => `${KIND_LETTERS[e.kind]}${e.name}`)].join('/');
}

function decode(text: string, statKey: string): ListedEntry[] | undefined {
  const parts = text.split('/');
  if (parts[0] !== statKey) return undefined;
  const entries: ListedEntry[] = [];
  for (const part of parts.slice(1)) {
    const kind = LETTER_KINDS[part.charAt(0)];
    if (kind === undefined || part.length < 2) return undefined;
    entries.push({ name: part.slice(1), kind });
  }
  return entries;
}

/**
 * Directory listings reused while the directory's size, modification and
 * change times and inode are unchanged: creating, removing or renaming an
 * entry changes a directory's modification and change times, so the same
 * stat means the same names of the same kinds. A `deps:` glob whose
 * wildcards are in its last segment then costs one `stat` of its folder
 * instead of a listing. Only whole listings are kept (any pattern is matched
 * against them afresh), never one changed in the last two seconds; a
 * symlink's target is not part of a listing, so its kind is looked up each
 * time. One cache file per pipeline, read once and written back atomically
 * by `save`; a damaged one only costs listing again.
 */
export class DirectoryListings {
  private stored: Readonly<Record<string, unknown>> | undefined;
  private readonly changed = new Map<string, string | undefined>();
  private readonly seen = new Set<string>();

  /**
   * @param cacheFile the listing cache file
   * @param witness notes the stat of every folder listed and path looked at (a plan kept whole)
   */
  constructor(
    private readonly cacheFile: string,
    private readonly witness?: StatWitness,
  ) {}

  /** The entries of `dir` (absolute), or undefined when it is not a readable directory. */
  list(dir: string): readonly ListedEntry[] | undefined {
    const stat = this.statOf(dir);
    if (stat === undefined || !stat.isDirectory()) return undefined;
    this.seen.add(dir);
    const statKey = statKeyOf(stat);
    const known = this.known(dir);
    const cached = known === undefined ? undefined : decode(known, statKey);
    if (cached !== undefined) return cached;
    let entries: ListedEntry[];
    try {
      entries = fs
        .readdirSync(dir, { withFileTypes: true })
        .map((entry) => ({ name: entry.name, kind: kindOf(entry) }));
    } catch {
      return undefined;
    }
    if (Date.now() - Math.max(stat.mtimeMs, stat.ctimeMs) > RACY_WINDOW_MS) {
      this.changed.set(dir, encode(statKey, entries));
    } else if (known !== undefined) {
      this.changed.set(dir, undefined);
    }
    return entries;
  }

  /**
   * Whether `file` (absolute; a symlink is followed) is a file now. Throws
   * as `fs.statSync` does when it cannot be looked at (not when it is missing).
   */
  isFile(file: string): boolean {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    this.witness?.note(file, stat);
    return stat?.isFile() === true;
  }

  /**
   * Notes that the check read something no stat vouches for (a recursive
   * glob walk), so its result is not kept whole.
   */
  readUnwitnessed(why: string): void {
    this.witness?.refuse(why);
  }

  /** Writes the cache back when it changed; a failure only costs listing again next time. */
  async save(): Promise<void> {
    if (this.changed.size === 0) return;
    const dirs = new Map<string, string>();
    for (const [dir, text] of Object.entries(this.load())) {
      if (typeof text === 'string') dirs.set(dir, text);
    }
    for (const [dir, text] of this.changed) {
      if (text === undefined) dirs.delete(dir);
      else dirs.set(dir, text);
    }
    this.stored = Object.fromEntries(dirs);
    this.changed.clear();
    const kept =
      dirs.size > LISTING_CACHE_LIMIT ? [...dirs].filter(([dir]) => this.seen.has(dir)) : dirs;
    await writeVersionedCache(
      this.cacheFile,
      LISTING_CACHE_VERSION,
      'dirs',
      Object.fromEntries(kept),
    );
  }

  private statOf(target: string): fs.Stats | undefined {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(target, { throwIfNoEntry: false });
    } catch {
      stat = undefined;
    }
    this.witness?.note(target, stat);
    return stat;
  }

  private known(dir: string): string | undefined {
    if (this.changed.has(dir)) return this.changed.get(dir);
    const stored = this.load();
    const text = Object.hasOwn(stored, dir) ? stored[dir] : undefined;
    return typeof text === 'string' ? text : undefined;
  }

  private load(): Readonly<Record<string, unknown>> {
    // No cache yet, or a damaged one: every directory is listed afresh.
    this.stored ??= readVersionedCache(this.cacheFile, LISTING_CACHE_VERSION, 'dirs');
    return this.stored;
  }
}
