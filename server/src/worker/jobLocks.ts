import type { Redis } from 'ioredis';
import { KEY_PREFIX } from '../executor/bullmq/remoteJob';
import type { StageProcess } from '../process/spawnStage';

/**
 * Takes a job's lock back when it is gone but the job is still active (not
 * failed by the orchestrator meanwhile): 1 when the worker holds the lock
 * after it, 0 when the job is no longer this worker's.
 * KEYS: the lock, the queue's active list, its stalled set; ARGV: token, job id, duration.
 */
const RETAKE_LOCK = `
local current = redis.call('GET', KEYS[1])
if current == ARGV[1] then return 1 end
if current then return 0 end
if not redis.call('LPOS', KEYS[2], ARGV[2]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
redis.call('SREM', KEYS[3], ARGV[2])
return 1
`;

/** A job this worker runs: where its lock is, the token it holds it with, and its stage. */
interface HeldJob {
  readonly queue: string;
  readonly jobId: string;
  readonly token: string;
  stage?: StageProcess;
}

/**
 * The locks of the jobs a worker runs, kept through a Redis outage. A job's
 * lock is a key with a time to live that BullMQ renews; when Redis is
 * unreachable for longer than that, the key has expired by the time Redis is
 * back (it loads its append-only file with the expiry as a point in time).
 * Once the connection is ready again, and whenever BullMQ fails to renew a
 * lock, the worker takes the lock back if the job is still active. If the
 * orchestrator failed the job meanwhile (it waited longer than its limit, or
 * took the worker for dead), the job is no longer this worker's: its stage is
 * killed, so nothing runs behind Baton's back.
 */
export class JobLocks {
  private readonly held = new Map<string, HeldJob>();
  private wasDown = false;

  constructor(
    private readonly redis: Redis,
    private readonly lockDurationMs: number,
    private readonly log: (line: string) => void,
  ) {
    redis.on('close', () => (this.wasDown = true));
    redis.on('ready', () => {
      if (!this.wasDown) return;
      this.wasDown = false;
      void this.retake([...this.held.keys()]);
    });
  }

  /** Notes a job the worker took, with the token BullMQ locked it with. */
  hold(queue: string, jobId: string, token: string | undefined): void {
    if (token !== undefined) this.held.set(jobId, { queue, jobId, token });
  }

  /** Notes the stage the job runs, so losing the job ends it. */
  running(jobId: string, stage: StageProcess): void {
    const job = this.held.get(jobId);
    if (job !== undefined) job.stage = stage;
  }

  /** Forgets a job that ended. */
  release(jobId: string): void {
    this.held.delete(jobId);
  }

  /** Takes back the locks of these jobs where they are gone; kills the stages of jobs that are lost. */
  async retake(jobIds: readonly string[]): Promise<void> {
    await Promise.all(jobIds.map((jobId) => this.retakeOne(jobId)));
  }

  private async retakeOne(jobId: string): Promise<void> {
    const job = this.held.get(jobId);
    if (job === undefined) return;
    const base = `${KEY_PREFIX}:${job.queue}`;
    let kept: unknown;
    try {
      kept = await this.redis.eval(
        RETAKE_LOCK,
        3,
        `${base}:${jobId}:lock`,
        `${base}:active`,
        `${base}:stalled`,
        job.token,
        jobId,
        String(this.lockDurationMs),
      );
    } catch {
      // Unreachable again: the next reconnect tries again.
      return;
    }
    if (kept === 1) return;
    this.log(
      `lost job ${jobId} while Redis was unreachable (its attempt was failed): ending its stage`,
    );
    this.held.delete(jobId);
    void job.stage?.kill({ graceMs: 2000 });
  }
}
