/**
 * Resource pools across runs and processes: a pool of capacity N is N slot
 * lock files under the state directory (`pools/<pool>/slot-<i>.lock`), each
 * taken with the self-healing locks of `lock.ts`. A slot held by a dead
 * process is reclaimed as any stale lock is, so a crash never leaks one.
 * Waiters queue with a ticket (`poolQueue.ts`) and are served in order of
 * arrival, across runs and processes: only a stage with no earlier ticket
 * for its pools tries the slots. A stage takes all its slots or none (it
 * gives back what it got when one is missing and tries again).
 */
import type { Lock, LockOwner } from './lock';
import { acquireLock } from './lock';
import type { StatePaths } from './paths';
import type { TicketAhead } from './poolQueue';
import { PoolTicket } from './poolQueue';

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

/** Who holds a slot or a ticket, for people: `run … stage train`. */
function whoIs(owner: LockOwner): string {
  const by = owner.runId === undefined ? `process ${owner.pid}` : `run ${owner.runId}`;
  return `${by}${owner.label === undefined ? '' : ` stage ${owner.label}`}`;
}

/** What a waiting stage is told: the pool and who holds it. */
function waitingReason(pool: string, owner: LockOwner | undefined): string {
  if (owner === undefined) return `waiting for pool ${pool}`;
  return `waiting for pool ${pool}: held by ${whoIs(owner)}`;
}

/** What a stage queued behind others is told: how many are ahead, and the first of them. */
function queuedReason(ahead: readonly TicketAhead[]): string {
  const [first] = ahead;
  if (first === undefined) return 'waiting for a pool';
  const others = ahead.length === 1 ? '1 stage ahead' : `${ahead.length} stages ahead`;
  return `waiting for pool ${first.shared.join(', ')}: ${others} in the queue, first ${whoIs(first.owner)}`;
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
  const ticket = await PoolTicket.take(
    paths.poolQueueDir,
    wanted.map(([pool]) => pool),
    holder,
  );
  let told: string | undefined;
  try {
    for (;;) {
      if (isStopped()) return undefined;
      const reason = await tryInTurn(paths, pools, wanted, holder, ticket);
      if (typeof reason !== 'string') return reason;
      if (reason !== told) {
        told = reason;
        onWaiting(told);
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS + Math.random() * RETRY_MS));
    }
  } finally {
    // Left only once the slots are held: the next in the queue then finds them taken.
    await ticket.leave();
  }
}

/** The slots, when the ticket's turn has come and they are free; else why the stage waits. */
async function tryInTurn(
  paths: StatePaths,
  pools: Readonly<Record<string, number>>,
  wanted: readonly (readonly [string, number])[],
  holder: SlotHolder,
  ticket: PoolTicket,
): Promise<HeldSlots | string> {
  const ahead = await ticket.ahead();
  if (ahead.length > 0) return queuedReason(ahead);
  const attempt = await tryAll(paths, pools, wanted, holder);
  if (!('blockedBy' in attempt)) return holdAll(attempt.locks);
  await Promise.all(attempt.locks.map((lock) => lock.release()));
  return attempt.blockedBy;
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
