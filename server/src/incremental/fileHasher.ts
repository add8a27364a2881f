import { statKeyOf } from './statKey';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DirectoryListings } from './directoryListings';
import type { StatWitness } from './statWitness';
import { readVersionedCache, writeVersionedCache } from './versionedCache';

/** The content hash of a file, and its size. */
export interface FileHash {
  readonly hash: string;
  readonly size: number;
}

/**
 * What a file looked like when it was hashed, as one string: its size,
 * modification and change times (ms, with their fraction) and inode, then a
 * space and the hash. One string per file keeps the cache file small and
 * quick to read back, which a check of ten thousand files pays for first.
 */
type StatEntry = string;

/** The length of a hex SHA-256. */
const HASH_LENGTH = 64;
/** Files bigger than this are read in chunks rather than whole. */
const WHOLE_READ_LIMIT = 8 * 1024 * 1024;

/**
 * A file modified this close to when it was hashed may change again within
 * the file system's time resolution without its stat changing ("racy git"),
 * so its hash is not cached: it is hashed again next time.
 */
const RACY_WINDOW_MS = 2000;

/** Above this many entries, `save` keeps only the files looked at since the cache was read. */
const STAT_CACHE_LIMIT = 200_000;

/** Format version of the stat cache file; another version is ignored. */
const STAT_CACHE_VERSION = 2;

/** The content hash of a buffer or text (SHA-256, hex). */
export function contentHash(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function hashFileContent(file: string, size: number): string {
  if (size <= WHOLE_READ_LIMIT) return contentHash(fs.readFileSync(file));
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1024 * 1024);
    for (let read = fs.readSync(fd, buffer); read > 0; read = fs.readSync(fd, buffer)) {
      hash.update(buffer.subarray(0, read));
    }
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

function isStatEntry(value: unknown): value is StatEntry {
  return typeof value === 'string' && value.length > HASH_LENGTH + 1;
}

/**
 * Hashes files by content (SHA-256), skipping the read of a file whose size,
 * modification and change times and inode are what they were when it was
 * last hashed, as git's index and DVC do. The cache lives in
 * one file per pipeline, read once and written back atomically by `save`; a
 * damaged cache file only costs rehashing. Synchronous on purpose: a stat of
 * a cached file costs a few microseconds, far less than a trip to the thread
 * pool, and a check hashes a stage's few files between two events.
 */
export class FileHasher {
  /** The cache file's entries as read, checked one by one when looked up. */
  private stored: Readonly<Record<string, unknown>> | undefined;
  /** Entries hashed (or dropped, as undefined) since the cache was read. */
  private readonly changed = new Map<string, StatEntry | undefined>();
  private readonly seen = new Set<string>();

  /**
   * Directory listings, kept beside the stat cache (`dir-cache.json` next to
   * it) and saved with it, for matching `deps:` globs.
   */
  readonly listings: DirectoryListings;

  /**
   * @param cacheFile the stat cache file
   * @param witness notes the stat of every file hashed and folder listed (a plan kept whole)
   */
  constructor(
    private readonly cacheFile: string,
    private readonly witness?: StatWitness,
  ) {
    const listingsFile = path.join(path.dirname(cacheFile), 'dir-cache.json');
    this.listings = new DirectoryListings(listingsFile, witness);
  }

  /** The file's content hash, or undefined when it does not exist (or is not a file). */
  hash(file: string): FileHash | undefined {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(file, { throwIfNoEntry: false });
    } catch {
      stat = undefined;
    }
    this.witness?.note(file, stat);
    if (stat === undefined || !stat.isFile()) return undefined;
    this.seen.add(file);
    const { size } = stat;
    const statKey = statKeyOf(stat);
    const known = this.known(file);
    if (
      known !== undefined &&
      known.length === statKey.length + 1 + HASH_LENGTH &&
      known.startsWith(statKey) &&
      known.charAt(statKey.length) === ' '
    ) {
      return { hash: known.slice(statKey.length + 1), size };
    }
    const hash = hashFileContent(file, size);
    if (Date.now() - Math.max(stat.mtimeMs, stat.ctimeMs) > RACY_WINDOW_MS) {
      this.changed.set(file, `${statKey} ${hash}`);
    } else if (known !== undefined) {
      this.changed.set(file, undefined);
    }
    return { hash, size };
  }

  /** Writes the cache back when it changed; a failure only costs rehashing next time. */
  async save(): Promise<void> {
    await this.listings.save();
    if (this.changed.size === 0) return;
    const entries = new Map<string, StatEntry>();
    for (const [file, entry] of Object.entries(this.load())) {
      if (isStatEntry(entry)) entries.set(file, entry);
    }
    for (const [file, entry] of this.changed) {
      if (entry === undefined) entries.delete(file);
      else entries.set(file, entry);
    }
    this.stored = Object.fromEntries(entries);
    this.changed.clear();
    // Files deleted or no longer read would pile up for ever; past the limit only the ones in use stay.
    const kept =
      entries.size > STAT_CACHE_LIMIT
        ? [...entries].filter(([file]) => this.seen.has(file))
        : entries;
    const files = Object.fromEntries(kept);
    await writeVersionedCache(this.cacheFile, STAT_CACHE_VERSION, 'files', files);
  }

  /** What the cache holds for `file`: hashed since it was read, else as read (when well formed). */
  private known(file: string): StatEntry | undefined {
    if (this.changed.has(file)) return this.changed.get(file);
    const stored = this.load();
    if (!Object.hasOwn(stored, file)) return undefined;
    const entry = stored[file];
    return isStatEntry(entry) ? entry : undefined;
  }

  /**
   * The cache file's entries, read once. They are checked as they are looked
   * up, not all at once: a check of a few stages of a large pipeline should
   * not pay for every file of it.
   */
  private load(): Readonly<Record<string, unknown>> {
    // No cache yet, or a damaged one: every file is hashed afresh.
    this.stored ??= readVersionedCache(this.cacheFile, STAT_CACHE_VERSION, 'files');
    return this.stored;
  }
}
