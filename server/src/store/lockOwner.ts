/**
 * Lock files as data: what they record about their holder, how to read them,
 * and how to decide whether that holder is still alive. Shared by pipeline
 * locks and run ownership (`lock.ts` takes and holds them).
 */
import { promises as fs } from 'node:fs';
import type { ProcessIdentity } from './processIdentity';
import { checkProcess } from './processIdentity';
import { hasCode, StoreError, toStoreError } from './storeError';

/** Default age after which a heartbeat counts as stale. */
export const DEFAULT_STALE_MS = 30_000;

/** What a lock file records about its holder. */
export interface LockOwner extends ProcessIdentity {
  /** Unique per acquisition; tells two holders with the same pid apart. */
  readonly token: string;
  /** Epoch ms when the lock was taken. */
  readonly startedAt: number;
  /** Epoch ms of the last heartbeat (the newer of the recorded time and the file's mtime). */
  readonly heartbeatAt: number;
  /** The run the lock is held for, if any. */
  readonly runId?: string;
  /** What in the run holds it (a pool slot names its stage), if anything. */
  readonly label?: string;
}

/** Whether an owner counts as alive, and if not, why. */
export type OwnerLiveness =
  | { readonly alive: true; readonly heartbeatAgeMs: number }
  | { readonly alive: false; readonly why: string };

/** A lock file as read from disk. `owner` is undefined when the content is unreadable. */
export interface LockSnapshot {
  readonly owner: LockOwner | undefined;
  readonly problem?: string;
  /** The owner's token, or the inode for unreadable content. */
  readonly identity: string;
}

function isLockOwner(value: unknown): value is LockOwner {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.token === 'string' &&
    /^[0-9a-f]{8,64}$/.test(v.token) &&
    typeof v.pid === 'number' &&
    typeof v.host === 'string' &&
    typeof v.startedAt === 'number' &&
    typeof v.heartbeatAt === 'number'
  );
}

/** Reads a lock file with its identity; undefined when there is none. */
export async function snapshotLock(lockPath: string): Promise<LockSnapshot | undefined> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(lockPath, 'r');
    const stat = await handle.stat();
    const text = await handle.readFile('utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!isLockOwner(parsed)) {
      return { owner: undefined, problem: 'its content is unreadable', identity: `ino${stat.ino}` };
    }
    const heartbeatAt = Math.max(parsed.heartbeatAt, Math.floor(stat.mtimeMs));
    return { owner: { ...parsed, heartbeatAt }, identity: parsed.token };
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return undefined;
    throw toStoreError(error, 'reading lock', lockPath);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * Reads a lock file: its owner, or undefined when there is no lock. Throws a
 * `StoreError` (`ECORRUPT`) when the file exists but cannot be read as a lock.
 */
export async function readLock(lockPath: string): Promise<LockOwner | undefined> {
  const snapshot = await snapshotLock(lockPath);
  if (snapshot !== undefined && snapshot.owner === undefined) {
    throw new StoreError('ECORRUPT', lockPath, `lock file ${lockPath}: ${snapshot.problem ?? ''}`);
  }
  return snapshot?.owner;
}

/**
 * Decides whether a lock owner is alive. On the same host the process itself
 * is checked (pid exists and has the recorded start time, same boot): a
 * verified live process is alive whatever its heartbeat says. When that
 * cannot be checked (another host, no `/proc`), a heartbeat older than
 * `staleMs` means dead.
 */
export function ownerLiveness(
  owner: LockOwner,
  options: { readonly staleMs?: number; readonly now?: number } = {},
): OwnerLiveness {
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const heartbeatAgeMs = Math.max(0, (options.now ?? Date.now()) - owner.heartbeatAt);
  const verdict = checkProcess(owner);
  if (verdict.kind === 'dead') return { alive: false, why: verdict.why };
  if (verdict.kind === 'unknown' && heartbeatAgeMs > staleMs) {
    const age = Math.round(heartbeatAgeMs / 1000);
    return { alive: false, why: `${verdict.why} and its last heartbeat was ${age} s ago` };
  }
  return { alive: true, heartbeatAgeMs };
}

/** Whether the recorded owner of a run (`owner.json`) is still running it. */
export function isRunOwnerAlive(
  owner: LockOwner,
  options: { readonly staleMs?: number } = {},
): boolean {
  return ownerLiveness(owner, options).alive;
}

/**
 * Removes a lock whatever its owner (`baton unlock`). Returns the owner it
 * removed (undefined when there was no lock or its content was unreadable).
 */
export async function breakLock(
  lockPath: string,
): Promise<{ removed: boolean; owner?: LockOwner }> {
  const snapshot = await snapshotLock(lockPath);
  if (snapshot === undefined) return { removed: false };
  try {
    await fs.unlink(lockPath);
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return { removed: false };
    throw toStoreError(error, 'removing lock', lockPath);
  }
  return snapshot.owner === undefined
    ? { removed: true }
    : { removed: true, owner: snapshot.owner };
}
