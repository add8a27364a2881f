import { createHash, createHmac, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createFileExclusive, ensureDir, isTempName, writeFileAtomic } from '../store/atomicFile';
import type { RecordEntry } from './recordEntry';
import { decodeEntry, encodeEntry } from './recordEntry';
import { entryStatKey, RecordSnapshot } from './recordSnapshot';
import type { StatWitness } from './statWitness';

/** Entries kept per unit when a new one is written; older ones are pruned. */
export const KEPT_PER_UNIT = 5;

const PLAIN_NAME = /^[A-Za-z0-9_.-]{1,100}$/;
const FINGERPRINT = /^[0-9a-f]{64}$/;

/** A look-up of one unit's entry: found, absent, or present but untrusted. */
export type EntryLookup =
  | { readonly kind: 'found'; readonly entry: RecordEntry }
  | { readonly kind: 'absent' }
  | { readonly kind: 'damaged'; readonly file: string; readonly why: string };

/** What `baton cache ls` shows of one pipeline's record. */
export interface PipelineRecordSummary {
  readonly key: string;
  readonly file: string;
  readonly units: number;
  readonly entries: number;
  readonly bytes: number;
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** The directory name of a unit: its key when that is a plain name, else a hash of it. */
function unitDirName(unit: string): string {
  return PLAIN_NAME.test(unit) && !unit.startsWith('.') ? unit : `u-${shortHash(unit)}`;
}

function newestFirst(dir: string, names: readonly string[]): string[] {
  const timed = names.map((name) => ({
    name,
    mtime: fs.statSync(path.join(dir, name), { throwIfNoEntry: false })?.mtimeMs ?? 0,
  }));
  return timed.sort((a, b) => b.mtime - a.mtime || (a.name < b.name ? 1 : -1)).map((t) => t.name);
}

function entryNames(dir: string): string[] {
  try {
    return fs.readdirSync(dir).filter((name) => name.endsWith('.json') && !isTempName(name));
  } catch {
    return [];
  }
}

/** The file of the record's key in a state directory (see `RecordStore.hashKey`). */
export function recordKeyFile(stateDir: string): string {
  return path.join(stateDir, 'cache', 'key');
}

/**
 * The record: what succeeded, under which fingerprint, kept under
 * `<stateDir>/cache/` as a directory of small files, one per recorded
 * success (`<pipeline>/units/<unit>/<fingerprint>.json`). Each entry is
 * written whole to a temp file, synced and renamed into place, and carries a
 * checksum, so a torn or damaged entry is noticed and counts as a miss; it is
 * written only after the stage succeeded, so a crash never leaves one that
 * claims a success. Writers never share a file: two runs (of any pipelines)
 * writing at once each rename their own entries, and a pipeline's units are
 * pruned to the newest `KEPT_PER_UNIT` as entries are added.
 */
export class RecordStore {
  /** `<stateDir>/cache`. */
  readonly root: string;

  constructor(stateDir: string) {
    this.root = path.join(stateDir, 'cache');
  }

  /** The folder of one pipeline's record: its id plus a hash of its file's absolute path. */
  pipelineDir(pipelineId: string, file: string): string {
    return path.join(this.root, `${pipelineId}-${shortHash(path.resolve(file))}`);
  }

  /** The stat cache file of one pipeline's files (see `FileHasher`). */
  statCacheFile(pipelineDir: string): string {
    return path.join(pipelineDir, 'stat-cache.json');
  }

  /** Notes which pipeline file a record folder belongs to, for `baton cache ls`. */
  async describePipeline(pipelineDir: string, file: string): Promise<void> {
    const target = path.join(pipelineDir, 'pipeline.json');
    if (fs.existsSync(target)) return;
    await ensureDir(pipelineDir);
    await writeFileAtomic(target, JSON.stringify({ file: path.resolve(file) }));
  }

  /** The file of the record's key (see `hashKey`). */
  keyFile(): string {
    return recordKeyFile(path.dirname(this.root));
  }

  /**
   * The key of the keyed hash that secret-carrying values enter fingerprints
   * through: 32 random bytes made once per state directory (mode 0600), never
   * shown; concurrent first uses agree on one key.
   */
  async hashKey(): Promise<Buffer> {
    const file = this.keyFile();
    try {
      const key = fs.readFileSync(file);
      if (key.length === 32) return key;
    } catch {
      // Not made yet.
    }
    await ensureDir(this.root);
    const created = await createFileExclusive(file, randomBytes(32));
    const key = fs.readFileSync(file);
    if (key.length !== 32) {
      if (created) throw new Error(`the record key ${file} could not be written whole`);
      // A damaged key (a crash mid-write before this format) is replaced: entries made with it miss.
      await writeFileAtomic(file, randomBytes(32));
      return fs.readFileSync(file);
    }
    return key;
  }

  /** A keyed hash (HMAC-SHA256) of a value, so the record holds no guessable hash of a secret. */
  static keyedHash(key: Buffer, value: string): string {
    return createHmac('sha256', key).update(value).digest('hex');
  }

  /** The snapshot of one pipeline's entries (see `RecordSnapshot`). */
  snapshotOf(pipelineDir: string): RecordSnapshot {
    return new RecordSnapshot(path.join(pipelineDir, 'entries.snapshot'));
  }

  /**
   * The entry of `unit` with this fingerprint; with `snapshot`, taken from it
   * while the entry's file is unchanged, and noted in it when read from the file.
   * With `witness`, the entry file's stat is noted first.
   */
  read(
    pipelineDir: string,
    unit: string,
    fingerprint: string,
    snapshot?: RecordSnapshot,
    witness?: StatWitness,
  ): EntryLookup {
    const file = path.join(pipelineDir, 'units', unitDirName(unit), `${fingerprint}.json`);
    witness?.look(file);
    if (snapshot === undefined) return this.readFile(file, unit, fingerprint);
    const known = snapshot.lookup(unit, fingerprint, file);
    if (known.kind !== 'unknown') return known;
    // The stat before the read: a file replaced in between is then read again next time.
    const stat = entryStatKey(file);
    const found = this.readFile(file, unit, fingerprint);
    if (found.kind === 'found' && stat !== undefined) snapshot.note(unit, stat, found.entry);
    return found;
  }

  /**
   * The newest trusted entry of `unit` (damaged ones are passed over), or
   * undefined. With `witness`, the unit's folder and each of its entry files
   * are noted first: which is newest depends on all of them.
   */
  latest(pipelineDir: string, unit: string, witness?: StatWitness): RecordEntry | undefined {
    const dir = path.join(pipelineDir, 'units', unitDirName(unit));
    witness?.look(dir);
    const names = entryNames(dir);
    for (const name of names) witness?.look(path.join(dir, name));
    for (const name of newestFirst(dir, names)) {
      const found = this.readFile(path.join(dir, name), unit);
      if (found.kind === 'found') return found.entry;
    }
    return undefined;
  }

  /** Records a success atomically, then prunes the unit to its newest `KEPT_PER_UNIT` entries. */
  async write(pipelineDir: string, entry: RecordEntry): Promise<void> {
    if (!FINGERPRINT.test(entry.fingerprint))
      throw new Error(`bad fingerprint ${entry.fingerprint}`);
    const dir = path.join(pipelineDir, 'units', unitDirName(entry.unit));
    await ensureDir(dir);
    await writeFileAtomic(path.join(dir, `${entry.fingerprint}.json`), encodeEntry(entry));
    this.pruneUnit(dir, KEPT_PER_UNIT);
  }

  /** Every pipeline's record, for `baton cache ls`. */
  list(): PipelineRecordSummary[] {
    return this.pipelineDirs().map((dir) => {
      let units = 0;
      let entries = 0;
      let bytes = 0;
      for (const unit of this.unitDirs(dir)) {
        units += 1;
        for (const name of entryNames(unit)) {
          entries += 1;
          bytes += fs.statSync(path.join(unit, name), { throwIfNoEntry: false })?.size ?? 0;
        }
      }
      return { key: path.basename(dir), file: this.pipelineFileOf(dir), units, entries, bytes };
    });
  }

  /** Keeps the newest `keep` entries of every unit of every pipeline; returns how many were removed. */
  prune(keep: number): number {
    let removed = 0;
    for (const dir of this.pipelineDirs()) {
      for (const unit of this.unitDirs(dir)) removed += this.pruneUnit(unit, keep);
    }
    return removed;
  }

  /** Removes the whole record, or one pipeline's; returns how many pipelines' records went. */
  clear(pipelineDir?: string): number {
    const dirs = pipelineDir === undefined ? this.pipelineDirs() : [pipelineDir];
    let cleared = 0;
    for (const dir of dirs) {
      if (!fs.existsSync(dir)) continue;
      fs.rmSync(dir, { recursive: true, force: true });
      cleared += 1;
    }
    return cleared;
  }

  private readFile(file: string, unit: string, fingerprint?: string): EntryLookup {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return { kind: 'absent' };
    }
    const decoded = decodeEntry(text, fingerprint === undefined ? { unit } : { unit, fingerprint });
    return 'damaged' in decoded
      ? { kind: 'damaged', file, why: decoded.damaged }
      : { kind: 'found', entry: decoded };
  }

  private pruneUnit(dir: string, keep: number): number {
    const names = entryNames(dir);
    if (names.length <= keep) return 0;
    const stale = newestFirst(dir, names).slice(keep);
    for (const name of stale) fs.rmSync(path.join(dir, name), { force: true });
    return stale.length;
  }

  private pipelineDirs(): string[] {
    try {
      return fs
        .readdirSync(this.root, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => path.join(this.root, entry.name))
        .sort();
    } catch {
      return [];
    }
  }

  private unitDirs(pipelineDir: string): string[] {
    const units = path.join(pipelineDir, 'units');
    try {
      return fs.readdirSync(units).map((name) => path.join(units, name));
    } catch {
      return [];
    }
  }

  private pipelineFileOf(dir: string): string {
    try {
      const parsed = JSON.parse(fs.readFileSync(path.join(dir, 'pipeline.json'), 'utf8')) as {
        file?: unknown;
      };
      return typeof parsed.file === 'string' ? parsed.file : '?';
    } catch {
      return '?';
    }
  }
}
