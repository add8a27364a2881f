import type * as fs from 'node:fs';

/**
 * The stat fields that change when a file, a directory's entries or a
 * record entry change, as one string: the key every cache of the check
 * compares (hashes, listings, record snapshot, saved plans). Times are the
 * milliseconds Node gives as a double (sub-microsecond here): what is cached
 * was last changed two seconds or more before it was read (`RACY_WINDOW_MS`
 * in fileHasher.ts), so any later change moves its modification or change
 * time by more than that. An inode number beyond 2^53 loses its low bits,
 * which alone could not make a changed file look the same.
 */
export function statKeyOf(stat: fs.Stats): string {
  return `${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}:${stat.ino}`;
}
