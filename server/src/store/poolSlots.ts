/**
 * Resource pools across runs and processes: a pool of capacity N is N slot
 * lock files under the state directory (`pools/<pool>/slot-<i>.lock`), each
 * taken with the self-healing locks of `lock.ts`. A slot held by a dead
 * process is reclaimed as any stale lock is, so a crash never leaks one.
 * A stage takes all its slots or none (it gives back what it got when one
 * is missing and tries again), so two stages waiting for each other's
 * slots cannot deadlock.
 */
import type { Lock, LockOwner } from './lock';
import { acquireLock } from './lock';
import type { StatePaths } from './paths';

/** Time between two tries while a pool is full. */
const RETRY_MS = 100;

/** Who asks for slots, recorded in the slot files so waiters can say who holds them. */
export interface SlotHolder {
  readonly runId: string;
  readonly stage: string;
}

/** Slots a stage holds; `release` gives them back (twice is harmless). */
export interface HeldSlots {
  release(): Promise<void>;
}

/** How every message of a stage waiting for a pool starts (its progress line and log). */
const POOL_WAIT_PREFIX = 'waiting for pool ';

/** The progress message of a stage that got its pool slots after waiting for them. */
export const POOL_SLOTS_TAKEN = 'took its pool slots';

/**
 * Whether a progress message says the stage waits for a pool slot: the run
 * timeline reads the wait from the stage's progress events, from this message
 * to the next one (`POOL_SLOTS_TAKEN`).
 */
export function isPoolWaitMessage(message: string | undefined): boolean {
  return message?.startsWith(POOL_WAIT_PREFIX) === true;
}

/** What a waiting stage is told: the pool and who holds it. */
function waitingReason(pool: string, owner: LockOwner | undefined): string {
  if (owner === undefined) return `${POOL_WAIT_PREFIX}${pool}`;
  const by = owner.runId === undefined ? `process ${owner.pid}` : `run ${owner.runId}`;
  return `${POOL_WAIT_PREFIX}${pool}: held by ${by}${owner.label === undefined ? '' : ` stage ${owner.label}`}`;
}

/** One try at every slot asked for; the locks got, or the pool and owner that blocked. */
async function tryAll(
  paths: StatePaths,
  pools: Readonly<Record<string, number>>,
  wanted: readonly (readonly [string, number])[],
  holder: SlotHolder,
): Promise<{ locks: Lock[] } | { locks: Lock[]; blockedBy: string }> {
  const locks: Lock[] = [];
  for (const [pool, count] of wanted) {
    let got = 0;
    let blocker: LockOwner | undefined;
    const capacity = pools[pool] ?? 0;
    for (let index = 0; index < capacity && got < count; index++) {
      const result = await acquireLock(paths.poolSlotFile(pool, index), {
        runId: holder.runId,
        label: holder.stage,
      });
      if (result.acquired) {
        locks.push(result.lock);
        got += 1;
      } else {
        blocker ??= result.owner;
      }
    }
    if (got < count) return { locks, blockedBy: waitingReason(pool, blocker) };
  }
  return { locks };
}

/**
 * Takes `resources` (slots per pool) of the pools with capacities `pools`,
 * waiting while they are held elsewhere: `onWaiting` hears why, once per
 * change of reason. Resolves to the held slots, or undefined when
 * `isStopped` turned true while it waited (nothing is then held).
 */
export async function acquireSlots(
  paths: StatePaths,
  pools: Readonly<Record<string, number>>,
  resources: Readonly<Record<string, number>>,
  holder: SlotHolder,
  onWaiting: (reason: string) => void,
  isStopped: () => boolean,
): Promise<HeldSlots | undefined> {
  // Always in name order, so every stage takes its pools in the same order.
  const wanted = Object.entries(resources).sort(([a], [b]) => a.localeCompare(b));
  let told: string | undefined;
  for (;;) {
    if (isStopped()) return undefined;
    const attempt = await tryAll(paths, pools, wanted, holder);
    if (!('blockedBy' in attempt)) return holdAll(attempt.locks);
    await Promise.all(attempt.locks.map((lock) => lock.release()));
    if (attempt.blockedBy !== told) {
      told = attempt.blockedBy;
      onWaiting(told);
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS + Math.random() * RETRY_MS));
  }
}

function holdAll(locks: readonly Lock[]): HeldSlots {
  for (const lock of locks) lock.heartbeat();
  let released = false;
  return {
    async release(): Promise<void> {
      if (released) return;
      released = true;
      await Promise.all(locks.map((lock) => lock.release().catch(() => false)));
    },
  };
}
