import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { writeFileAtomic } from '../store/atomicFile';

/** The content hash of a file, and its size. */
export interface FileHash {
  readonly hash: string;
  readonly size: number;
}

/** What a file looked like when it was hashed: the stat fields that change when it does. */
interface StatEntry {
  readonly size: number;
  readonly mtimeNs: string;
  readonly ctimeNs: string;
  readonly ino: string;
  readonly hash: string;
}

/** Files bigger than this are read in chunks rather than whole. */
const WHOLE_READ_LIMIT = 8 * 1024 * 1024;

/**
 * A file modified this close to when it was hashed may change again within
 * the file system's time resolution without its stat changing ("racy git"),
 * so its hash is not cached: it is hashed again next time.
 */
const RACY_WINDOW_NS = 2_000_000_000n;

/** Above this many entries, `save` keeps only the files looked at since the cache was read. */
const STAT_CACHE_LIMIT = 200_000;

/** Format version of the stat cache file; another version is ignored. */
const STAT_CACHE_VERSION = 1;

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
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry.size === 'number' &&
    typeof entry.mtimeNs === 'string' &&
    typeof entry.ctimeNs === 'string' &&
    typeof entry.ino === 'string' &&
    typeof entry.hash === 'string'
  );
}

/**
 * Hashes files by content (SHA-256), skipping the read of a file whose size,
 * modification and change times (in nanoseconds) and inode are what they
 * were when it was last hashed, as git's index and DVC do. The cache lives in
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

  constructor(private readonly cacheFile: string) {}

  /** The file's content hash, or undefined when it does not exist (or is not a file). */
  hash(file: string): FileHash | undefined {
    let stat: fs.BigIntStats;
    try {
      stat = fs.statSync(file, { bigint: true });
    } catch {
      return undefined;
    }
    if (!stat.isFile()) return undefined;
    this.seen.add(file);
    const size = Number(stat.size);
    const mtimeNs = stat.mtimeNs.toString();
    const ctimeNs = stat.ctimeNs.toString();
    const ino = stat.ino.toString();
    const known = this.known(file);
    if (
      known !== undefined &&
      known.size === size &&
      known.mtimeNs === mtimeNs &&
      known.ctimeNs === ctimeNs &&
      known.ino === ino
    ) {
      return { hash: known.hash, size };
    }
    const hash = hashFileContent(file, size);
    const now = BigInt(Date.now()) * 1_000_000n;
    const newest = stat.mtimeNs > stat.ctimeNs ? stat.mtimeNs : stat.ctimeNs;
    if (now - newest > RACY_WINDOW_NS) {
      this.changed.set(file, { size, mtimeNs, ctimeNs, ino, hash });
    } else if (known !== undefined) {
      this.changed.set(file, undefined);
    }
    return { hash, size };
  }

  /** Writes the cache back when it changed; a failure only costs rehashing next time. */
  async save(): Promise<void> {
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
    await writeFileAtomic(
      this.cacheFile,
      JSON.stringify({ version: STAT_CACHE_VERSION, files }),
    ).catch(() => undefined);
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
    if (this.stored !== undefined) return this.stored;
    this.stored = {};
    try {
      const parsed = JSON.parse(fs.readFileSync(this.cacheFile, 'utf8')) as {
        version?: unknown;
        files?: unknown;
      };
      const { files } = parsed;
      if (parsed.version === STAT_CACHE_VERSION && typeof files === 'object' && files !== null) {
        this.stored = files as Record<string, unknown>;
      }
    } catch {
      // No cache yet, or a damaged one: every file is hashed afresh.
    }
    return this.stored;
  }
}
