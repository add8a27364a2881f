/**
 * The courier of a pending stop (`baton deliver-stops <file>`): a small
 * process an orchestrator leaves behind when it could not reach Redis to
 * stop a remote stage. It waits for Redis, writes the kill into the job's
 * control stream (and fails the job when the attempt was given up), notes
 * the delivery in the run's own log and removes the file. The worker then
 * ends the stage's whole tree, as for any kill.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { localTimeOfDay } from '@baton/protocol';
import { failFromOutside, sendControl } from './jobControl';
import { KEY_PREFIX } from './remoteJob';
import { acquireLock } from '../../store/lock';
import { courierLockOf } from './leftStops';
import { forgetPendingStop, readPendingStop } from './pendingStops';
import type { PendingStop } from './pendingStops';

/** How long a courier waits for Redis before it leaves the stop on disk (the jobs' keeping time). */
export const COURIER_PATIENCE_MS = 7 * 24 * 3600 * 1000;

/** What became of a pending stop. */
export type CourierOutcome = 'delivered' | 'gone' | 'expired' | 'taken';

/**
 * Delivers the stop in `file` to the Redis at `url`, waiting for it as long
 * as `patienceMs`. `gone`: someone delivered it first (the orchestrator,
 * still alive when Redis came back); `taken`: another live courier holds
 * the stop's courier lock and delivers it.
 */
export async function deliverPendingStop(
  file: string,
  url: string,
  patienceMs = COURIER_PATIENCE_MS,
): Promise<CourierOutcome> {
  if ((await readPendingStop(file)) === undefined) return 'gone';
  // One courier per stop: a later orchestrator starts one again only when this one is dead.
  const taken = await acquireLock(courierLockOf(file));
  if (!taken.acquired) return 'taken';
  taken.lock.heartbeat();
  try {
    return await deliverHolding(file, url, patienceMs);
  } finally {
    await taken.lock.release().catch(() => false);
  }
}

async function deliverHolding(
  file: string,
  url: string,
  patienceMs: number,
): Promise<CourierOutcome> {
  // Read again under the lock: a courier that held it before may have delivered it meanwhile.
  const stop = await readPendingStop(file);
  if (stop === undefined) return 'gone';
  // Commands wait for Redis (no per-request retry limit) while ioredis reconnects.
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  redis.on('error', () => undefined);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), patienceMs);
  });
  try {
    return await Promise.race([deliver(redis, file, stop), expired]);
  } finally {
    clearTimeout(timer);
    redis.disconnect();
  }
}

async function deliver(redis: Redis, file: string, stop: PendingStop): Promise<CourierOutcome> {
  // Refused rather than waited for: try again until the patience runs out.
  while (
    (await readPendingStop(file)) !== undefined &&
    !(await sendControl(redis, stop.queue, stop.jobId, { kind: 'kill', graceMs: stop.graceMs }))
  ) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  if (stop.failJob) {
    const queue = new Queue(stop.queue, { connection: redis, prefix: KEY_PREFIX });
    queue.on('error', () => undefined);
    await failFromOutside(queue, stop.jobId, stop.reason);
    await queue.close().catch(() => undefined);
  }
  if ((await readPendingStop(file)) === undefined) return 'gone';
  await noteDelivery(file, stop);
  await forgetPendingStop(file);
  return 'delivered';
}

/** Says in the run's own log (`runs/<run>/run.log`) that the stop reached Redis. */
async function noteDelivery(file: string, stop: PendingStop): Promise<void> {
  const runDir = path.dirname(path.dirname(file));
  const now = Date.now();
  const note = `stop of stage ${stop.stage} (attempt ${stop.attempt}, asked at ${localTimeOfDay(stop.at)}) reached Redis at ${localTimeOfDay(now)} (${new Date(now).toISOString()}): its worker ends the stage's processes\n`;
  await fs.appendFile(path.join(runDir, 'run.log'), note).catch(() => undefined);
}
