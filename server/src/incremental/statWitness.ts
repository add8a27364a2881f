import { statKeyOf } from './statKey';
import * as fs from 'node:fs';

/**
 * A file system path's stat as one string: its kind (`f` file, `d`
 * directory, `o` other), size, modification and change times (ms, with their
 * fraction) and inode; `-` when nothing is there (or it cannot be looked at).
 * Replacing, writing, renaming or removing anything changes it, except within
 * the file system's time resolution, which `StatWitness` guards against.
 */
export type StatSignature = string;

/** The signature of a path with nothing (readable) there. */
export const ABSENT: StatSignature = '-';

/** The signature of a stat, or `ABSENT` for none. */
export function signatureOf(stat: fs.Stats | undefined): StatSignature {
  if (stat === undefined) return ABSENT;
  const kind = stat.isFile() ? 'f' : stat.isDirectory() ? 'd' : 'o';
  return `${kind}:${statKeyOf(stat)}`;
}

/** `path`'s stat (following symlinks), or undefined when nothing readable is there. */
export function statOrUndefined(path: string): fs.Stats | undefined {
  try {
    return fs.statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/**
 * As for the stat cache (`FileHasher`): a path changed this close to when it
 * was looked at may change again within the file system's time resolution
 * without its stat changing, so a check that saw one is not kept.
 */
export const RACY_WINDOW_MS = 2000;

/**
 * Every file and folder a check looked at, with the stat it had when it was
 * looked at, taken before it was read: the check's result holds while each of
 * them has that stat again (a plan kept whole, `planCache.ts`). What the check
 * read in a way no stat can vouch for (a recursive glob walk, a fan-out
 * listing) makes it `refused`, as does a path seen with two different stats,
 * or one changed within `RACY_WINDOW_MS` before the check started: a later
 * change to it might not change its stat.
 */
export class StatWitness {
  private readonly seen = new Map<string, StatSignature>();
  private refusal: string | undefined;

  /**
   * @param startedAt when the check started, before it looked at anything (ms since the epoch)
   * @param racyWindowMs how recent a change makes a path's stat untrustworthy (tests pass 0)
   */
  constructor(
    readonly startedAt: number = Date.now(),
    private readonly racyWindowMs: number = RACY_WINDOW_MS,
  ) {}

  /** Stats `path` now and notes it; returns the stat, as `fs.statSync` would. */
  look(path: string): fs.Stats | undefined {
    const stat = statOrUndefined(path);
    this.note(path, stat);
    return stat;
  }

  /** Notes the stat `path` had (undefined: nothing there) just before the check read it. */
  note(path: string, stat: fs.Stats | undefined): void {
    const signature = signatureOf(stat);
    const before = this.seen.get(path);
    if (before !== undefined && before !== signature)
      this.refuse(`${path} changed during the check`);
    this.seen.set(path, signature);
    if (
      stat !== undefined &&
      Math.max(stat.mtimeMs, stat.ctimeMs) > this.startedAt - this.racyWindowMs
    )
      this.refuse(`${path} changed less than ${this.racyWindowMs} ms before the check`);
  }

  /** Marks the check as depending on something no stat vouches for. */
  refuse(why: string): void {
    this.refusal ??= why;
  }

  /** Why the check's result cannot be kept, or undefined when it can. */
  get refused(): string | undefined {
    return this.refusal;
  }

  /** Every path looked at, with its signature. */
  signatures(): ReadonlyMap<string, StatSignature> {
    return this.seen;
  }
}
