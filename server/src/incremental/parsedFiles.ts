import { RecentlyUsed } from '../cache/recentlyUsed';
import { statKeyOf } from './statKey';
import { RACY_WINDOW_MS, statOrUndefined } from './statWitness';

/** How many parsed files are kept: a few per pipeline checked (stat, listing and snapshot caches). */
const KEPT_FILES = 48;

/** A file's parsed content, with the stat the file had just before it was read. */
interface ParsedFile {
  readonly stat: string;
  readonly value: unknown;
}

const kept = new RecentlyUsed<string, ParsedFile>(KEPT_FILES);

/**
 * `parse()` of `file`, or what it gave the last time while the file's stat
 * (size, times, inode) is unchanged since, so that a resident server's
 * checks do not read and parse the same megabyte of cache again and again.
 * The caches are written only by replacing them whole (a new inode), and a
 * file changed within the racy window is not kept, as for every stat-keyed
 * cache here. The value is shared between callers: they must not change it.
 * @param parse reads and parses the file; it must cope with the file being missing or damaged
 */
export function parsedWhileUnchanged<T>(file: string, parse: () => T): T {
  const stat = statOrUndefined(file);
  if (stat === undefined) {
    kept.delete(file);
    return parse();
  }
  const key = statKeyOf(stat);
  const known = kept.get(file);
  if (known?.stat === key) {
    kept.set(file, known);
    return known.value as T;
  }
  kept.delete(file);
  const value = parse();
  if (Date.now() - Math.max(stat.mtimeMs, stat.ctimeMs) > RACY_WINDOW_MS) {
    kept.set(file, { stat: key, value });
  }
  return value;
}

/**
 * Notes that `file` was just replaced whole (written aside and renamed) with
 * what `value` parses from, so the next read need not parse it. Should
 * another process have replaced it since, its stat is kept with this value:
 * both hold facts checked against the stat of the files they describe, so
 * that only costs work that the other file would have spared.
 */
export function keepWritten(file: string, value: unknown): void {
  const stat = statOrUndefined(file);
  if (stat === undefined) kept.delete(file);
  else kept.set(file, { stat: statKeyOf(stat), value });
}
