import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { ExecutedStage, StageAttach, StageExecutor, StageLaunch } from '../stageExecutor';
import { notAttachable } from '../localExecutor';
import { ReaderPool } from './readerPool';
import { ConnectionWatch } from './connectionWatch';
import { WorkerPresence } from './workerPresence';
import { RemoteStage } from './remoteStage';
import { stopsWithoutCourier } from './leftStops';
import { pendingStopFile, startCourier } from './pendingStops';
import type { CourierCommand, PendingStopPlace } from './pendingStops';
import { crashPoint } from '../../process/crashPoint';
import {
  JOB_NAME,
  jobIdOf,
  KEY_PREFIX,
  parseRemoteHandle,
  remoteHandle,
  takenMarkerKey,
} from './remoteJob';
import type { RemoteJobData } from './remoteJob';
import { stageRootOf } from './stageRoot';
import { travellingLayers } from './travellingEnv';
import { deliverResult, fileVarsOf, readTravellingFiles } from './travellingFiles';

/** How the bullmq executor connects and how patient it is. */
export interface BullmqExecutorOptions {
  /** `redis://[user:password@]host:port[/db]`, from `--redis` or `BATON_REDIS_URL`. */
  readonly url: string;
  /** Health checks in a row without the worker's lock before its attempt fails (about a second each). */
  readonly lockLossChecks?: number;
  /** How long Redis may be unreachable before a following attempt fails. Default 5 minutes. */
  readonly unreachableLimitMs?: number;
  /** Time between SIGTERM and SIGKILL on the worker when a stage is killed. */
  readonly killGraceMs?: number;
  /**
   * How this process starts a courier for a stop that cannot reach Redis now
   * (see `pendingStops.ts`); absent: the stop is still kept on disk, and
   * delivered by this process if it lives until Redis is back.
   */
  readonly courier?: CourierCommand;
}

/** Options of every Redis connection Baton makes: wait for Redis rather than fail a command. */
export function redisOptions(): { maxRetriesPerRequest: null; lazyConnect: boolean } {
  return { maxRetriesPerRequest: null, lazyConnect: false };
}

/**
 * The bullmq executor: a stage attempt becomes one BullMQ job on its stage's
 * queue, with a job id fixed by run, stage and attempt (so adding it twice is
 * one job) and no BullMQ retries (`attempts: 1`: Baton's retry policy decides).
 * The handle is known before the job exists, so `stageStarted` records it first.
 */
export function createBullmqExecutor(options: BullmqExecutorOptions): StageExecutor {
  const redis = new Redis(options.url, redisOptions());
  redis.on('error', () => undefined);
  const queues = new Map<string, Queue>();
  const readers = new ReaderPool(redis);
  const connection = new ConnectionWatch(redis);
  const context: ExecutorContext = {
    redis,
    readers,
    connection,
    presence: new WorkerPresence(),
    executorName: `bullmq at ${redisAddress(options.url)}`,
    killGraceMs: options.killGraceMs ?? 5000,
    lockLossChecks: options.lockLossChecks ?? 3,
    unreachableLimitMs: options.unreachableLimitMs ?? 5 * 60_000,
    startCourier: (file) => {
      if (options.courier !== undefined) startCourier(options.courier, file, options.url);
    },
    queueOf: (name) => {
      let queue = queues.get(name);
      if (queue === undefined) {
        queue = new Queue(name, { connection: redis, prefix: KEY_PREFIX });
        queue.on('error', () => undefined);
        queues.set(name, queue);
      }
      return queue;
    },
  };
  return {
    type: 'bullmq',
    launch: (launch) => launchStage(launch, context),
    attach: (attach) => attachStage(attach, context),
    async pickUpLeftovers(runsDir: string): Promise<number> {
      // Without a way to start a courier (an engine hosted by a test runner), kept stops stay kept.
      if (options.courier === undefined) return 0;
      const stops = await stopsWithoutCourier(runsDir);
      for (const file of stops) context.startCourier(file);
      return stops.length;
    },
    async close(): Promise<void> {
      await Promise.all([...queues.values()].map((queue) => queue.close().catch(() => undefined)));
      connection.close();
      readers.close();
      redis.disconnect();
    },
  };
}

/** What the executor's stages share. */
interface ExecutorContext {
  readonly redis: Redis;
  /** Connections for the stages' blocking reads of their output streams, reused stage after stage. */
  readonly readers: ReaderPool;
  readonly killGraceMs: number;
  readonly lockLossChecks: number;
  readonly unreachableLimitMs: number;
  readonly connection: ConnectionWatch;
  readonly presence: WorkerPresence;
  readonly executorName: string;
  /** Starts a courier for the pending stop in a file (when this process has a way to). */
  startCourier(file: string): void;
  queueOf(name: string): Queue;
}

/** A Redis URL without its user and password, for messages: `redis://queue-host:6379/0`. */
export function redisAddress(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return 'Redis';
  }
}

function launchStage(launch: StageLaunch, context: ExecutorContext): ExecutedStage {
  const queueName = launch.queue ?? 'default';
  const queue = context.queueOf(queueName);
  const jobId = jobIdOf(launch.runId, launch.stage, launch.attempt);
  const stage = new RemoteStage({
    ...context,
    queue,
    queueName,
    jobId,
    handle: remoteHandle(queueName, jobId),
    skipBytes: 0,
    ...pendingStopOf(launch, jobId, context),
    submit: async () => {
      // The handle is in the event log now; a crash here is what resume's re-add is for.
      crashPoint('before-job-add');
      await addJob(queue, jobId, launch, context);
    },
    deliver: (result) => deliverResult(result, launch.files),
  });
  if (launch.gated !== true) stage.start();
  return stage;
}

function attachStage(attach: StageAttach, context: ExecutorContext): ExecutedStage {
  const target = parseRemoteHandle(attach.handle);
  if (target === undefined) return notAttachable(attach);
  const queue = context.queueOf(target.queue);
  const { relaunch } = attach;
  const stage = new RemoteStage({
    ...context,
    queue,
    queueName: target.queue,
    jobId: target.jobId,
    handle: attach.handle,
    skipBytes: attach.outputOffset,
    ...pendingStopOf(attach, target.jobId, context),
    submit: async () => {
      // Output in the log proves it ran, even if Redis lost the job and its marker (no persistence).
      if (relaunch === undefined || attach.outputOffset > 0) return;
      if (await wasTaken(queue, context.redis, target.queue, target.jobId)) return;
      // Recorded, never added: the engine died in between. Added now, under the same id.
      await addJob(queue, target.jobId, relaunch, context);
    },
    deliver: (result) => deliverResult(result, attach.files),
  });
  stage.start();
  return stage;
}

/** Where an attempt's stop waits for Redis: in its run's folder (none without one). */
function pendingStopOf(
  attempt: StageLaunch | StageAttach,
  jobId: string,
  context: ExecutorContext,
): { pendingStop?: PendingStopPlace } {
  const { runDir } = attempt.files;
  if (runDir === undefined) return {};
  return {
    pendingStop: {
      file: pendingStopFile(runDir, jobId),
      runId: attempt.runId,
      stage: attempt.stage,
      attempt: attempt.attempt,
      startCourier: context.startCourier,
    },
  };
}

/**
 * Adds an attempt's job. The same job id every time, so adding it again (two
 * launches, a resume after a crash) leaves one job.
 */
async function addJob(
  queue: Queue,
  jobId: string,
  launch: StageLaunch,
  context: ExecutorContext,
): Promise<void> {
  await queue.add(JOB_NAME, await jobData(launch, context), {
    jobId,
    attempts: 1,
    removeOnComplete: { age: JOB_KEEP_SECONDS },
    removeOnFail: { age: JOB_KEEP_SECONDS },
  });
}

/**
 * Whether an attempt's job may not be added (again): it is in Redis (adding
 * would be a no-op anyway), or a worker took it once (its taken marker, set
 * before anything of the stage runs and kept until the attempt's end is
 * recorded), so it ran or began to, even if its job and streams are gone
 * since. Neither means no worker ever ran it: adding it now runs it once.
 * The job is looked up first: one that is not there cannot be taken after.
 */
async function wasTaken(
  queue: Queue,
  redis: Redis,
  queueName: string,
  jobId: string,
): Promise<boolean> {
  if ((await queue.getJob(jobId)) !== undefined) return true;
  return (await redis.exists(takenMarkerKey(queueName, jobId))) === 1;
}

/** How long finished jobs stay in Redis (a late re-attach still finds their result). */
const JOB_KEEP_SECONDS = 7 * 24 * 3600;

/** The job's data: the launch without secret values or the orchestrator's own environment, with the files that travel. */
async function jobData(launch: StageLaunch, context: ExecutorContext): Promise<RemoteJobData> {
  const secretNames = launch.secretNames ?? [];
  // Without layers (a launch not built by the engine) the whole environment travels, secrets left out.
  const layers = travellingLayers(
    launch.envLayers ?? { env: launch.env, pathFront: [] },
    secretNames,
  );
  const { files } = launch;
  return {
    runId: launch.runId,
    stage: launch.stage,
    attempt: launch.attempt,
    command: launch.command,
    cwd: launch.cwd,
    root: await stageRootOf(launch.cwd),
    env: layers.env,
    ...(layers.pathFront.length === 0 ? {} : { pathPrefix: layers.pathFront }),
    secretNames,
    fileVars: fileVarsOf(launch.env, files),
    files: await readTravellingFiles(files.summaryFile, files.savedStateFile, files.stateDir),
    killGraceMs: context.killGraceMs,
    ...(launch.watch === undefined || launch.watch.length === 0 ? {} : { watch: launch.watch }),
  };
}
