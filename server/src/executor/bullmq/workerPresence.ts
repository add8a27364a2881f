import type { Queue } from 'bullmq';

/** How long one count of a queue's workers is reused (every waiting stage asks about once a second). */
const COUNT_REUSE_MS = 1000;

/**
 * How many workers listen on each queue, from BullMQ (`getWorkersCount`: the
 * named connections in Redis's CLIENT LIST), counted at most once a second
 * per queue however many stages wait there. Undefined when Redis will not
 * say (CLIENT LIST refused by an ACL, say): then nobody is told "no worker".
 */
export class WorkerPresence {
  private readonly counts = new Map<string, { at: number; count: Promise<number | undefined> }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The number of workers on `queue`, or undefined when Redis cannot tell. */
  workersOn(queue: Queue): Promise<number | undefined> {
    const known = this.counts.get(queue.name);
    if (known !== undefined && this.now() - known.at < COUNT_REUSE_MS) return known.count;
    const count = queue.getWorkersCount().catch(() => undefined);
    this.counts.set(queue.name, { at: this.now(), count });
    return count;
  }
}
