import { statKeyOf } from './statKey';
import * as fs from 'node:fs';
import { writeFileAtomic } from '../store/atomicFile';
import { contentHash } from './fileHasher';
import type { RecordEntry } from './recordEntry';
import { checkedEntry } from './recordEntry';
import { keepWritten, parsedWhileUnchanged } from './parsedFiles';

/** Format version of the snapshot file; another version is ignored. */
const SNAPSHOT_VERSION = 1;

/** More units than any pipeline has; past it, `save` keeps only the units looked up since load. */
const SNAPSHOT_LIMIT = 100_000;

/** One unit's entry as the snapshot keeps it: the entry file's stat when it was read, and the entry. */
interface SnapshotItem {
  readonly stat: string;
  readonly entry: unknown;
}

/** What a look-up in the snapshot found. */
export type SnapshotLookup =
  | { readonly kind: 'found'; readonly entry: RecordEntry }
  | { readonly kind: 'absent' }
  | { readonly kind: 'unknown' };

/** The stat key of `file`, or undefined when it does not exist (or cannot be looked at). */
export function entryStatKey(file: string): string | undefined {
  try {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    return stat === undefined ? undefined : statKeyOf(stat);
  } catch {
    return undefined;
  }
}

/**
 * One pipeline's record entries as last read, in one file
 * (`<record>/entries.snapshot`), so a check of a thousand stages reads one file
 * instead of a thousand: the entry files stay the record, and the snapshot
 * only spares reading them again. Each unit's item holds the entry and the
 * stat (size, times, inode) its file had just before it was read; it is used
 * only while a `stat` of that file gives the same, so an entry written again
 * (always a new file renamed into place, so a new inode), pruned or cleared
 * since is read from its file, or found absent, as without a snapshot. The
 * file is a SHA-256 of its body on the first line, then the body (JSON),
 * written atomically; a damaged, missing or
 * other-version snapshot is ignored and every entry is read from its file.
 */
export class RecordSnapshot {
  private stored: Readonly<Record<string, SnapshotItem>> | undefined;
  private readonly noted = new Map<string, SnapshotItem>();

  constructor(private readonly file: string) {}

  /**
   * The entry of `unit` with `fingerprint`, whose file is `entryFile`: found
   * (the snapshot holds it and the file is unchanged), absent (no such file),
   * or unknown (read the file).
   */
  lookup(unit: string, fingerprint: string, entryFile: string): SnapshotLookup {
    const stat = entryStatKey(entryFile);
    if (stat === undefined) return { kind: 'absent' };
    const item = this.noted.get(unit) ?? this.load()[unit];
    if (item === undefined || item.stat !== stat) return { kind: 'unknown' };
    const entry = checkedEntry(item.entry, { unit, fingerprint });
    return 'damaged' in entry ? { kind: 'unknown' } : { kind: 'found', entry };
  }

  /** Notes an entry read from its file, with the file's stat taken before the read. */
  note(unit: string, stat: string, entry: RecordEntry): void {
    const known = this.noted.get(unit) ?? this.load()[unit];
    if (known?.stat === stat) return;
    this.noted.set(unit, { stat, entry });
  }

  /** Writes the snapshot when entries were noted; a failure only costs reading the files next time. */
  async save(): Promise<void> {
    if (this.noted.size === 0) return;
    const units = { ...this.load() };
    for (const [unit, item] of this.noted) units[unit] = item;
    const kept =
      Object.keys(units).length > SNAPSHOT_LIMIT ? Object.fromEntries(this.noted) : units;
    this.stored = kept;
    this.noted.clear();
    const body = JSON.stringify({ version: SNAPSHOT_VERSION, units: kept });
    await writeFileAtomic(this.file, `${contentHash(body)}\n${body}`).then(
      () => keepWritten(this.file, kept),
      () => undefined,
    );
  }

  /** The snapshot's items as read (shared while the file is unchanged: never changed in place). */
  private load(): Readonly<Record<string, SnapshotItem>> {
    this.stored ??= parsedWhileUnchanged(this.file, () => readSnapshot(this.file));
    return this.stored;
  }
}

/** The items of the snapshot in `file`; none when it is missing, damaged or of another version. */
function readSnapshot(file: string): Record<string, SnapshotItem> {
  const items = Object.create(null) as Record<string, SnapshotItem>;
  try {
    const text = fs.readFileSync(file, 'utf8');
    const newline = text.indexOf('\n');
    const bodyText = text.slice(newline + 1);
    if (newline < 0 || text.slice(0, newline) !== contentHash(bodyText)) return items;
    const body = JSON.parse(bodyText) as { version?: unknown; units?: unknown };
    if (body.version === SNAPSHOT_VERSION && typeof body.units === 'object' && body.units) {
      for (const [unit, item] of Object.entries(body.units as Record<string, unknown>)) {
        const candidate = item as Partial<SnapshotItem> | null;
        if (typeof candidate?.stat === 'string' && 'entry' in candidate) {
          items[unit] = { stat: candidate.stat, entry: candidate.entry };
        }
      }
    }
  } catch {
    // No snapshot yet, or a damaged one: entries are read from their files.
  }
  return items;
}
