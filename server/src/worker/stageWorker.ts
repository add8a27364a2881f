import { Worker } from 'bullmq';
import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { KEY_PREFIX } from '../executor/bullmq/remoteJob';
import type { RemoteJobData, RemoteResult } from '../executor/bullmq/remoteJob';
import { redisOptions } from '../executor/bullmq/bullmqExecutor';
import { ReaderPool } from '../executor/bullmq/readerPool';
import { runRemoteAttempt } from './remoteAttempt';
import { reapOrphans } from './runningStages';
import { JobLocks } from './jobLocks';
import type { StageProcess } from '../process/spawnStage';

/** How a worker is set up. */
export interface StageWorkerOptions {
  readonly url: string;
  readonly queues: readonly string[];
  readonly concurrency: number;
  /** The worker's name in messages ("worker w2 on host gpu-1 stopped responding"). */
  readonly name: string;
  /** Where the worker keeps its jobs' files and its record of running stages. */
  readonly workDir: string;
  /**
   * This machine's checkout of the pipelines' repository: a stage runs in
   * its folder's place under it (`--root`). Absent: at the orchestrator's path.
   */
  readonly root?: string;
  /**
   * How long a job's lock lasts without renewal: a killed worker's attempts
   * fail about this long (plus the orchestrator's checks) after it died. Default 5000.
   */
  readonly lockDurationMs?: number;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly log: (line: string) => void;
}

/** A running worker. */
export interface StageWorker {
  /**
   * Stops taking stages. `finish`: the stages it runs finish first (SIGTERM);
   * otherwise they are killed and reported ended by signal.
   */
  close(finish: boolean): Promise<void>;
}

/**
 * Starts a worker: first reaps what a previous, killed worker in the same
 * work directory left running, then takes stages from each queue. BullMQ's
 * own retries and stalled re-runs are off (`maxStalledCount: 0`): a job whose
 * worker dies fails, and the orchestrator's retry policy decides what runs next.
 */
export async function startStageWorker(options: StageWorkerOptions): Promise<StageWorker> {
  for (const { jobId, processes } of await reapOrphans(options.workDir)) {
    options.log(`reaped ${processes} process(es) left by job ${jobId} of a previous worker`);
  }
  const redis = new Redis(options.url, redisOptions());
  redis.on('error', () => undefined);
  const readers = new ReaderPool(redis);
  const lockDuration = options.lockDurationMs ?? 5000;
  const running = new Set<StageProcess>();
  const locks = new JobLocks(redis, lockDuration, options.log);
  const workers = options.queues.map((queue) => {
    const worker = new Worker<RemoteJobData, RemoteResult>(
      queue,
      (job: Job<RemoteJobData>, token?: string) =>
        runRemoteAttempt(job, {
          worker: options.name,
          queue,
          workDir: options.workDir,
          ...(options.root === undefined ? {} : { root: options.root }),
          redis,
          readers,
          env: options.env,
          log: options.log,
          running,
          locks,
          token,
        }),
      {
        connection: new Redis(options.url, redisOptions()),
        prefix: KEY_PREFIX,
        concurrency: options.concurrency,
        lockDuration,
        // No stalled checks here: a job whose lock lapsed while Redis was away
        // is taken back (JobLocks); a job whose worker died is failed by the
        // orchestrator that follows it, which knows whether Redis was away.
        skipStalledCheck: true,
        maxStalledCount: 0,
      },
    );
    worker.on('error', (error) => options.log(`queue ${queue}: ${error.message}`));
    worker.on('lockRenewalFailed', (jobIds: string[]) => void locks.retake(jobIds));
    return worker;
  });
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  options.log(
    `worker ${options.name} takes stages from ${options.queues.join(', ')} (concurrency ${options.concurrency})`,
  );
  return {
    async close(finish: boolean): Promise<void> {
      const closing = Promise.all(workers.map((worker) => worker.close()));
      // Killed stages still end through their jobs: each reports its signal before the job completes.
      if (!finish) await Promise.all([...running].map((stage) => stage.kill({ graceMs: 2000 })));
      await closing;
      readers.close();
      redis.disconnect();
    },
  };
}
