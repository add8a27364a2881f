/**
 * Finds the orphans a stage left behind: when a parent exits, the kernel
 * hands its children to the nearest "subreaper" ancestor or to init, so a
 * stage's orphans show up as new children of this process's ancestors. This
 * runs after every stage, so it reads as few `/proc` files as it can:
 *
 * - one children list per ancestor, its main thread's: the kernel hands an
 *   orphan to the first live thread of its new parent, which is the main
 *   thread unless that has exited (`find_alive_thread` in the kernel's exit.c);
 * - a `stat` only for children that joined the list since a stage started:
 *   the kernel keeps each list in the order children joined it (new ones are
 *   appended, whether forked or adopted), so the entries of an earlier look
 *   that are still there form a prefix of the order, and only what follows
 *   them can be new. Init and a desktop's user manager hold dozens of old
 *   children; reading each one's `stat` after every stage was most of the cost.
 */
import { childrenOf, isDeadState, readProcess } from './processTree';
import type { ProcessInfo } from './processTree';
import { readProcText } from './procFile';

/** What the adopters' children lists held at one moment. */
export interface ChildrenLook {
  /** `Date.now()` when the lists were read. */
  readonly at: number;
  /** Adopter pid → its children in the kernel's order; only main-thread lists (which keep that order). */
  readonly lists: ReadonlyMap<number, readonly number[]>;
}

/**
 * How old an earlier look may be to be trusted. An entry counts as known when
 * its pid is still in the list in the same order; a new process could only
 * pass for it by getting the same pid back, which takes the kernel going
 * through every other pid first. `MIN_PID_MAX` pids within this time is more
 * than any machine forks.
 */
const LOOK_TRUSTED_MS = 1000;
/** Below this many pids (`/proc/sys/kernel/pid_max`) earlier looks are not trusted at all. */
const MIN_PID_MAX = 32768;

let latestLook: ChildrenLook | undefined;

/**
 * The latest look at the adopters' children (taking one if there is none):
 * call it right before starting a stage and hand it to `adoptedSince` after
 * the stage, so the children that were there before are not read again.
 */
export function lookAtAdopters(): ChildrenLook | undefined {
  if (latestLook === undefined) {
    const listings = listAdopters();
    if (listings) latestLook = lookOf(listings, Date.now());
  }
  return latestLook;
}

/**
 * Children of this process and of its ancestors (init included) started at or
 * after `sinceStartTime`; with `before` (a look taken before the stage
 * started), only the children that joined a list since that look are read.
 * Undefined when the kernel cannot list children.
 */
export function adoptedSince(
  sinceStartTime: number,
  before?: ChildrenLook,
): ProcessInfo[] | undefined {
  const now = Date.now();
  const listings = listAdopters();
  if (!listings) return undefined;
  latestLook = lookOf(listings, now);
  const trusted = before !== undefined && now - before.at <= LOOK_TRUSTED_MS && pidsAreMany();
  const adopted: ProcessInfo[] = [];
  const skip = new Set(listings.map((listing) => listing.pid));
  for (const listing of listings) {
    const earlier = trusted && listing.ordered ? before.lists.get(listing.pid) : undefined;
    for (const pid of earlier ? joinedSince(listing.children, earlier) : listing.children) {
      // The next link of the chain is no orphan; reading it would cost a file per ancestor.
      if (skip.has(pid)) continue;
      skip.add(pid);
      const info = readProcess(pid);
      if (info && info.startTime >= sinceStartTime) adopted.push(info);
    }
  }
  return adopted;
}

/** One adopter's children, and whether they are in the kernel's order (see `adoptersChildren`). */
interface Listing {
  readonly pid: number;
  readonly children: readonly number[];
  readonly ordered: boolean;
}

/** Every adopter's children; undefined when the kernel cannot list children. */
function listAdopters(): Listing[] | undefined {
  const listings: Listing[] = [];
  for (const adopter of ancestry()) {
    const listed = adoptersChildren(adopter);
    if (!listed) return undefined;
    listings.push({ pid: adopter.pid, ...listed });
  }
  return listings;
}

function lookOf(listings: readonly Listing[], at: number): ChildrenLook {
  const ordered = listings.filter((listing) => listing.ordered);
  return { at, lists: new Map(ordered.map((listing) => [listing.pid, listing.children])) };
}

/**
 * The entries of `now` after the last one that continues `earlier`'s order:
 * the children that joined the list since `earlier` was read. Entries that
 * left the list in between do not matter; the first entry that cannot be
 * matched in order, and everything after it, is new.
 */
export function joinedSince(now: readonly number[], earlier: readonly number[]): readonly number[] {
  let position = 0;
  for (let index = 0; index < now.length; index++) {
    while (position < earlier.length && earlier[position] !== now[index]) position++;
    if (position === earlier.length) return now.slice(index);
    position++;
  }
  return [];
}

/** A process that can adopt orphans, and whether its main thread had exited when last looked at. */
interface Adopter {
  readonly pid: number;
  readonly mainThreadExited: boolean;
}

/**
 * The children an adopter holds, as far as orphans can be among them: its
 * main thread's list, in the kernel's order; every thread's (in no useful
 * order) when the main thread is gone or its list cannot be read.
 */
function adoptersChildren(
  adopter: Adopter,
): { readonly children: readonly number[]; readonly ordered: boolean } | undefined {
  if (!adopter.mainThreadExited) {
    try {
      const text = readProcText(`/proc/${adopter.pid}/task/${adopter.pid}/children`);
      return { children: parsePids(text), ordered: true };
    } catch {
      // Read every thread's list below; that also tells a kernel without lists.
    }
  }
  const children = childrenOf(adopter.pid);
  return children && { children, ordered: false };
}

function parsePids(text: string): number[] {
  const pids: number[] = [];
  for (const pid of text.split(' ')) if (pid !== '') pids.push(Number(pid));
  return pids;
}

let cachedAncestry: { readonly ppid: number; readonly chain: readonly Adopter[] } | undefined;

/**
 * The processes that can adopt a stage's orphans: this process only when it
 * is init of its namespace (an engine as pid 1 of a container; Node cannot
 * make itself a subreaper otherwise), then its ancestors up to init. Cached
 * while this process keeps its parent, since it is asked after every stage.
 */
function ancestry(): readonly Adopter[] {
  if (cachedAncestry?.ppid === process.ppid) return cachedAncestry.chain;
  const chain: Adopter[] = [];
  let ancestor = process.pid === 1 ? 1 : process.ppid;
  for (let hops = 0; hops < 64 && ancestor > 0; hops++) {
    const info = readProcess(ancestor);
    // A process whose main thread exited shows as a zombie while its other threads run.
    chain.push({ pid: ancestor, mainThreadExited: info !== undefined && isDeadState(info.state) });
    if (ancestor === 1) break;
    ancestor = info?.ppid ?? 1;
  }
  cachedAncestry = { ppid: process.ppid, chain };
  return chain;
}

let pidMax: number | undefined;

/** Whether the kernel has at least `MIN_PID_MAX` pids to hand out (read once). */
function pidsAreMany(): boolean {
  if (pidMax === undefined) {
    try {
      pidMax = Number(readProcText('/proc/sys/kernel/pid_max'));
    } catch {
      pidMax = 0;
    }
  }
  return pidMax >= MIN_PID_MAX;
}
