/**
 * What an orchestrator (or a stop's courier) does to a job from outside its
 * worker: writes control entries (answers, kills), takes a job nobody took
 * yet off its queue, fails a job whose worker is gone or whose attempt was
 * given up.
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { controlFields } from './outputStream';
import type { ControlEntry } from './outputStream';
import { controlStreamKey, STREAM_TTL_SECONDS } from './remoteJob';

/** Appends an entry to a job's control stream (kept for a while); false when Redis refused it. */
export async function sendControl(
  redis: Redis,
  queue: string,
  jobId: string,
  entry: ControlEntry,
): Promise<boolean> {
  const key = controlStreamKey(queue, jobId);
  try {
    await redis
      .multi()
      .xadd(key, '*', ...controlFields(entry))
      .expire(key, STREAM_TTL_SECONDS)
      .exec();
    return true;
  } catch {
    return false;
  }
}

/** Removes a job no worker took yet, so it never runs; false when it is not waiting (any more). */
export async function removeIfWaiting(queue: Queue, jobId: string): Promise<boolean> {
  try {
    const job = await queue.getJob(jobId);
    if (job === undefined) return false;
    const state = await job.getState();
    if (state !== 'waiting' && state !== 'delayed' && state !== 'prioritized') return false;
    await job.remove();
    return true;
  } catch {
    // Taken by a worker meanwhile (it holds the lock): the kill entry reaches it.
    return false;
  }
}

/**
 * Moves a job to failed without its lock (token "0": BullMQ's way for a job
 * failed from outside), so a worker that comes back lets it go.
 */
export async function failFromOutside(queue: Queue, jobId: string, reason: string): Promise<void> {
  try {
    const job = await queue.getJob(jobId);
    await job?.moveToFailed(new Error(reason), '0');
  } catch {
    // Moved meanwhile (its worker came back and finished it): nothing more to do.
  }
}
