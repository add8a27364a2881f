import type { Redis } from 'ioredis';

/** Told `since` (epoch ms) when Redis becomes unreachable, and `undefined` when it is back. */
export type ReachabilityListener = (unreachableSince: number | undefined) => void;

/** How often Redis is asked for a PING while stages follow it. */
const PING_EVERY_MS = 1000;

/** A PING unanswered this long counts as Redis unreachable (a silent network, a frozen server). */
const PING_PATIENCE_MS = 3000;

/**
 * Whether an executor's Redis can be reached. Two signs: the command
 * connection's own events (unreachable from a `close`, the server went away or
 * the network reset the connection, until ioredis is `ready` again), and,
 * while stages follow it, a PING every second: one unanswered for three
 * seconds means unreachable since it was sent (a network that drops packets
 * without a reset, a frozen server), until a PING is answered. Commands
 * meanwhile wait in ioredis's queue rather than fail, so without this a
 * remote stage would just go quiet; with it, its stages can say so and fail
 * after the executor's limit.
 */
export class ConnectionWatch {
  private since: number | undefined;
  private backAt = Number.NEGATIVE_INFINITY;
  private readonly listeners = new Set<ReachabilityListener>();
  private pinger: NodeJS.Timeout | undefined;
  private pingSentAt: number | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly now: () => number = Date.now,
  ) {
    redis.on('close', () => this.down(this.now()));
    redis.on('reconnecting', () => this.down(this.now()));
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
    this.pinger ??= setInterval(() => this.ping(), PING_EVERY_MS);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stopPinging();
    };
  }

  /** Stops the PINGs (the executor closes). */
  close(): void {
    this.listeners.clear();
    this.stopPinging();
  }

  private ping(): void {
    const sentAt = this.pingSentAt;
    if (sentAt !== undefined) {
      // One PING at a time: the one out says how long Redis has kept quiet.
      if (this.now() - sentAt >= PING_PATIENCE_MS) this.down(sentAt);
      return;
    }
    this.pingSentAt = this.now();
    this.redis.ping().then(
      () => {
        this.pingSentAt = undefined;
        this.up();
      },
      () => {
        // An error is an answer of sorts (the connection is there); the events tell the rest.
        this.pingSentAt = undefined;
      },
    );
  }

  private stopPinging(): void {
    clearInterval(this.pinger);
    this.pinger = undefined;
  }

  private down(since: number): void {
    if (this.since !== undefined) return;
    this.since = since;
    for (const listener of [...this.listeners]) listener(this.since);
  }

  private up(): void {
    if (this.since === undefined) return;
    this.since = undefined;
    this.backAt = this.now();
    for (const listener of [...this.listeners]) listener(undefined);
  }
}
