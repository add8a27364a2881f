/**
 * Self-healing locks: one file that records who holds it (pid, host, process
 * start time, boot id, heartbeat). A lock whose owner is dead — or, when that
 * cannot be checked, whose heartbeat is stale — is reclaimed automatically and
 * the caller is told from whom and why. A live owner's lock is never taken.
 *
 * Used for pipeline locks (`locks/<pipeline>.lock`) and run ownership
 * (`runs/<runId>/owner.json`).
 *
 * Race-safety, in short:
 * - Creation is `link(tempWithFullContent, lock)`: exclusive and never half-written.
 * - The heartbeat is the lock file's mtime, refreshed through our own open file
 *   descriptor (futimes), so it can never touch a lock that replaced ours.
 * - Replacing a dead owner's lock is done under a guard directory named after
 *   that owner's token (`mkdir` is exclusive), re-checking the token under the
 *   guard and renaming our own complete file over it: of any number of
 *   reclaimers exactly one wins, nobody can replace a newer lock by mistake,
 *   and there is no moment without a lock file. See `replaceDeadLock`.
 *   (`breakLock`, the manual `baton unlock`, is the one operation outside
 *   this protocol.)
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ensureDir, fsyncDir, writeSyncedTemp } from './atomicFile';
import type { LockOwner, LockSnapshot, OwnerLiveness } from './lockOwner';
import { ownerLiveness, snapshotLock } from './lockOwner';
import { currentProcessIdentity } from './processIdentity';
import { StoreError, hasCode, toStoreError } from './storeError';

export type { LockOwner, OwnerLiveness } from './lockOwner';
export { breakLock, DEFAULT_STALE_MS, isRunOwnerAlive, ownerLiveness, readLock } from './lockOwner';

/** Default heartbeat interval. */
export const DEFAULT_HEARTBEAT_MS = 10_000;
/** A reclaim guard older than this belongs to a reclaimer that died mid-way. */
const GUARD_STALE_MS = 10_000;

/** Options of `acquireLock`. */
export interface AcquireOptions {
  readonly runId?: string;
  /** Recorded as the owner's `label` (a pool slot names the stage holding it). */
  readonly label?: string;
  /** Heartbeat age after which an owner that cannot be checked counts as dead. */
  readonly staleMs?: number;
  /** Interval of `lock.heartbeat()`. */
  readonly heartbeatMs?: number;
  /** How long to wait while another process is reclaiming the same dead lock. */
  readonly timeoutMs?: number;
  /** Called once if the lock turns out to have been taken from us. */
  readonly onLost?: (why: string) => void;
}

/** Result of `acquireLock`. */
export type AcquireResult =
  | {
      readonly acquired: true;
      readonly lock: Lock;
      /** Set when a dead owner's lock was removed to get this one. */
      readonly reclaimedFrom?: { readonly owner: LockOwner | undefined; readonly why: string };
    }
  | { readonly acquired: false; readonly owner: LockOwner };

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Tries to take the lock at `lockPath`. Returns `{ acquired: true, lock }`
 * (with `reclaimedFrom` when this call replaced a dead owner's lock) or
 * `{ acquired: false, owner }` when a live owner holds it. Throws a
 * `StoreError` (`EBUSY`) only if another process keeps reclaiming the same
 * dead lock for longer than `timeoutMs`.
 */
export async function acquireLock(
  lockPath: string,
  options: AcquireOptions = {},
): Promise<AcquireResult> {
  await ensureDir(path.dirname(lockPath));
  const deadline = Date.now() + (options.timeoutMs ?? 5_000);
  const candidate = await prepareCandidate(lockPath, options);
  let handed = false;
  try {
    for (;;) {
      if (await linkCandidate(lockPath, candidate.temp)) {
        handed = true;
        return {
          acquired: true,
          lock: new Lock(lockPath, candidate.owner, candidate.handle, options),
        };
      }
      const snapshot = await snapshotLock(lockPath);
      if (snapshot === undefined) continue; // Released in between: try again.
      const liveness = judge(snapshot, options);
      if (liveness.alive && snapshot.owner !== undefined) {
        return { acquired: false, owner: snapshot.owner };
      }
      const outcome = await replaceDeadLock(lockPath, snapshot.identity, candidate.temp);
      if (outcome === 'replaced' && !liveness.alive) {
        handed = true;
        const lock = new Lock(lockPath, candidate.owner, candidate.handle, options);
        return {
          acquired: true,
          lock,
          reclaimedFrom: { owner: snapshot.owner, why: liveness.why },
        };
      }
      if (outcome === 'busy') {
        if (Date.now() > deadline) {
          throw new StoreError(
            'EBUSY',
            lockPath,
            `another process is still reclaiming lock ${lockPath}`,
          );
        }
        await delay(5 + Math.floor(Math.random() * 20));
      }
    }
  } finally {
    await fs.rm(candidate.temp, { force: true }).catch(() => undefined);
    if (!handed) await candidate.handle.close().catch(() => undefined);
  }
}

function judge(snapshot: LockSnapshot, options: AcquireOptions): OwnerLiveness {
  return snapshot.owner === undefined
    ? { alive: false, why: `the lock file ${snapshot.problem ?? 'is unreadable'}` }
    : ownerLiveness(snapshot.owner, options);
}

/** Our would-be lock file: complete, synced, and opened so its descriptor is the lock's inode. */
async function prepareCandidate(
  lockPath: string,
  options: AcquireOptions,
): Promise<{ owner: LockOwner; temp: string; handle: fs.FileHandle }> {
  const now = Date.now();
  const owner: LockOwner = {
    ...currentProcessIdentity(),
    token: randomBytes(12).toString('hex'),
    startedAt: now,
    heartbeatAt: now,
    ...(options.runId === undefined ? {} : { runId: options.runId }),
    ...(options.label === undefined ? {} : { label: options.label }),
  };
  const temp = await writeSyncedTemp(lockPath, `${JSON.stringify(owner, null, 2)}\n`);
  try {
    return { owner, temp, handle: await fs.open(temp, 'r') };
  } catch (error) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw toStoreError(error, 'creating lock', lockPath);
  }
}

/** Links the candidate to the lock name; false when the name is taken. */
async function linkCandidate(lockPath: string, temp: string): Promise<boolean> {
  try {
    await fs.link(temp, lockPath);
  } catch (error) {
    if (hasCode(error, 'EEXIST')) return false;
    throw toStoreError(error, 'creating lock', lockPath);
  }
  await fsyncDir(path.dirname(lockPath));
  return true;
}

/**
 * Replaces the lock at `lockPath` with `temp` if it is still the one
 * identified by `identity`. Reclaimers serialise on a guard directory named
 * after that identity: `mkdir` lets one of them in, which re-reads the lock
 * under the guard and renames its own file over it only if unchanged. The
 * rename leaves no moment without a lock file, so a plain taker cannot slip
 * in. A guard left by a reclaimer that died is skipped after GUARD_STALE_MS by
 * moving to the next level's guard, which is again exclusive.
 */
async function replaceDeadLock(
  lockPath: string,
  identity: string,
  temp: string,
): Promise<'replaced' | 'changed' | 'busy'> {
  const dir = path.dirname(lockPath);
  const prefix = `.${path.basename(lockPath)}.reclaim-${identity}-`;
  for (let level = 1; ; level++) {
    try {
      await fs.mkdir(path.join(dir, `${prefix}${level}`), { mode: 0o700 });
      break;
    } catch (error) {
      if (!hasCode(error, 'EEXIST')) throw toStoreError(error, 'reclaiming lock', lockPath);
      const age = await ageOf(path.join(dir, `${prefix}${level}`));
      // Undefined: its holder just finished; look at the lock again.
      if (age === undefined || age < GUARD_STALE_MS) return 'busy';
    }
  }
  try {
    const current = await snapshotLock(lockPath);
    if (current === undefined || current.identity !== identity) return 'changed';
    await fs.rename(temp, lockPath);
    await fsyncDir(dir);
    return 'replaced';
  } catch (error) {
    throw toStoreError(error, 'reclaiming lock', lockPath);
  } finally {
    await removeGuards(dir, prefix);
  }
}

async function ageOf(file: string): Promise<number | undefined> {
  try {
    return Date.now() - (await fs.stat(file)).mtimeMs;
  } catch {
    return undefined;
  }
}

async function removeGuards(dir: string, prefix: string): Promise<void> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((name) => name.startsWith(prefix))
      .map((name) =>
        fs.rm(path.join(dir, name), { recursive: true, force: true }).catch(() => undefined),
      ),
  );
}

/** A lock this process holds. */
export class Lock {
  private timer: NodeJS.Timeout | undefined;
  private lost = false;
  private released = false;

  /** @internal Created by `acquireLock`. */
  constructor(
    /** Path of the lock file. */
    readonly path: string,
    /** What the lock file records about us. */
    readonly owner: LockOwner,
    private readonly handle: fs.FileHandle,
    private readonly options: AcquireOptions,
  ) {}

  /** Starts refreshing the heartbeat every `heartbeatMs` (unref'd: it never keeps Node alive). */
  heartbeat(intervalMs = this.options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS): void {
    if (this.timer !== undefined || this.released) return;
    this.timer = setInterval(() => {
      this.beat().catch(() => undefined);
    }, intervalMs);
    this.timer.unref();
  }

  /**
   * Refreshes the heartbeat now. Returns false (and reports `onLost` once) if
   * the lock file is no longer ours.
   */
  async beat(): Promise<boolean> {
    if (this.released) return false;
    const now = new Date();
    await this.handle.utimes(now, now);
    const held = await this.isHeld();
    if (!held && !this.lost) {
      this.lost = true;
      this.stopHeartbeat();
      this.options.onLost?.(`lock ${this.path} was removed or taken over by another process`);
    }
    return held;
  }

  /** Whether the lock file on disk is still the one we created. */
  async isHeld(): Promise<boolean> {
    if (this.released) return false;
    try {
      const [ours, current] = await Promise.all([this.handle.stat(), fs.stat(this.path)]);
      return ours.ino === current.ino && ours.dev === current.dev;
    } catch (error) {
      if (hasCode(error, 'ENOENT')) return false;
      throw toStoreError(error, 'checking lock', this.path);
    }
  }

  /** Stops the heartbeat and removes the lock file if it is still ours. Returns whether it removed it. */
  async release(): Promise<boolean> {
    if (this.released) return false;
    this.stopHeartbeat();
    const held = await this.isHeld();
    this.released = true;
    try {
      if (held) await fs.unlink(this.path);
      return held;
    } catch (error) {
      if (hasCode(error, 'ENOENT')) return false;
      throw toStoreError(error, 'releasing lock', this.path);
    } finally {
      await this.handle.close().catch(() => undefined);
    }
  }

  private stopHeartbeat(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
