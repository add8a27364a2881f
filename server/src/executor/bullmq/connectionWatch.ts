import type { Redis } from 'ioredis';

/** Told `since` (epoch ms) when Redis becomes unreachable, and `undefined` when it is back. */
export type ReachabilityListener = (unreachableSince: number | undefined) => void;

/**
 * Whether an executor's Redis can be reached, from its command connection's
 * own events: unreachable from the first `close` (the server went away or the
 * network dropped the connection) until ioredis is `ready` again. Commands
 * meanwhile wait in ioredis's queue rather than fail, so without this a
 * remote stage would just go quiet; with it, its stages can say so and fail
 * after the executor's limit.
 */
export class ConnectionWatch {
  private since: number | undefined;
  private backAt = Number.NEGATIVE_INFINITY;
  private readonly listeners = new Set<ReachabilityListener>();

  constructor(
    redis: Redis,
    private readonly now: () => number = Date.now,
  ) {
    redis.on('close', () => this.down());
    redis.on('reconnecting', () => this.down());
    redis.on('ready', () => this.up());
  }

  /** When Redis became unreachable, or undefined while it is reachable. */
  get unreachableSince(): number | undefined {
    return this.since;
  }

  /** How long Redis has been reachable again since its last outage (Infinity: none yet); 0 while unreachable. */
  reachableFor(): number {
    return this.since === undefined ? this.now() - this.backAt : 0;
  }

  /** Calls `listener` on each change (and at once when Redis is unreachable now); returns the unsubscribe. */
  subscribe(listener: ReachabilityListener): () => void {
    this.listeners.add(listener);
    if (this.since !== undefined) listener(this.since);
    return () => this.listeners.delete(listener);
  }

  private down(): void {
    if (this.since !== undefined) return;
    this.since = this.now();
    for (const listener of [...this.listeners]) listener(this.since);
  }

  private up(): void {
    if (this.since === undefined) return;
    this.since = undefined;
    this.backAt = this.now();
    for (const listener of [...this.listeners]) listener(undefined);
  }
}
