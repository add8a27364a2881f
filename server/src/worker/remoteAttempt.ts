import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Masker } from '../output/masker';
import { spawnStage } from '../process/spawnStage';
import type { StageProcess } from '../process/spawnStage';
import {
  controlStreamKey,
  outputStreamKey,
  STREAM_TTL_SECONDS,
  takenMarkerKey,
} from '../executor/bullmq/remoteJob';
import type { RemoteJobData, RemoteResult } from '../executor/bullmq/remoteJob';
import { entryFields, parseControl } from '../executor/bullmq/outputStream';
import type { ReaderPool } from '../executor/bullmq/readerPool';
import type { OutputEntry } from '../executor/bullmq/outputStream';
import { collectJobFiles, makeJobFiles, workerEnv } from './workerJobFiles';
import type { WorkerJobFiles } from './workerJobFiles';
import { forgetRunning, noteRunning } from './runningStages';
import type { JobLocks } from './jobLocks';
import { watchOnWorker } from './workerWatch';
import { reportInputWait } from './inputWaitReport';
import { placeOnWorker } from './workerRoot';
import type { PlacedStage } from './workerRoot';

/** What a worker gives each attempt it runs. */
export interface RemoteAttemptContext {
  readonly worker: string;
  readonly queue: string;
  readonly workDir: string;
  /** This machine's checkout of the pipelines' repository (`--root`), if the paths differ. */
  readonly root?: string;
  /** The shared connection for writes. */
  readonly redis: Redis;
  /** Where the attempt borrows a connection for blocking reads of its control stream. */
  readonly readers: ReaderPool;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly log: (line: string) => void;
  /** The stages this worker runs right now, so a forced shutdown can end them. */
  readonly running: Set<StageProcess>;
  /** The locks of the worker's jobs, taken back after a Redis outage. */
  readonly locks: JobLocks;
  /** The token BullMQ locked this job with. */
  readonly token: string | undefined;
}

/**
 * Runs one attempt on this worker with Baton's own process code: its files
 * made from what travelled, secrets taken from this machine and masked in
 * everything that leaves it, output appended to the job's output stream,
 * answers and kills read from its control stream, and its end (exit and
 * files) as the stream's last entry, written before the job completes.
 */
export async function runRemoteAttempt(
  job: Job<RemoteJobData>,
  context: RemoteAttemptContext,
): Promise<RemoteResult> {
  const jobId = job.id ?? '';
  context.locks.hold(context.queue, jobId, context.token);
  try {
    return await runAttempt(job, jobId, context);
  } finally {
    context.locks.release(jobId);
  }
}

async function runAttempt(
  job: Job<RemoteJobData>,
  jobId: string,
  context: RemoteAttemptContext,
): Promise<RemoteResult> {
  const out = new OutputWriter(context.redis, outputStreamKey(context.queue, jobId));
  const takenBy = await takeOnce(context, jobId);
  const result =
    takenBy === undefined
      ? await takeAttempt(job.data, jobId, context, out)
      : notTwice(job.data, jobId, takenBy, context);
  out.add({ kind: 'end', result });
  await out.close();
  return result;
}

/** A job added again after a worker took it once (its job gone since): it does not run twice. */
function notTwice(
  data: RemoteJobData,
  jobId: string,
  takenBy: string,
  context: RemoteAttemptContext,
): RemoteResult {
  const error = `the attempt's job ${jobId} was already taken by worker ${takenBy}; it is not run a second time`;
  context.log(`not running ${jobId}: ${error}`);
  return { error, output: '', env: '', path: '', files: data.files };
}

/** Claims the attempt in its output stream, makes its files, and runs it unless it cannot or need not run. */
async function takeAttempt(
  data: RemoteJobData,
  jobId: string,
  context: RemoteAttemptContext,
  out: OutputWriter,
): Promise<RemoteResult> {
  out.add({
    kind: 'start',
    claim: { worker: context.worker, host: os.hostname(), pid: process.pid },
  });
  const [files, killed] = await Promise.all([
    makeJobFiles(context.workDir, jobId, data.files),
    killedBeforeStart(context.redis, context.queue, jobId),
  ]);
  if (killed) return { signal: 'SIGTERM', ...(await collectJobFiles(files)) };
  const placed = placeOnWorker(data, context.root);
  const missing = await missingFolder(placed.cwd, data, context);
  if (missing !== undefined) {
    context.log(`not running ${jobId}: ${missing}`);
    return { error: missing, ...(await collectJobFiles(files)) };
  }
  return runStage(data, jobId, { placed, files, out }, context);
}

/** Runs the attempt's stage here and follows it to its end: output out, answers and kills in. */
async function runStage(
  data: RemoteJobData,
  jobId: string,
  where: {
    readonly placed: PlacedStage;
    readonly files: WorkerJobFiles;
    readonly out: OutputWriter;
  },
  context: RemoteAttemptContext,
): Promise<RemoteResult> {
  const { placed, files, out } = where;
  const masker = new Masker();
  for (const name of data.secretNames) {
    const value = context.env[name];
    if (value !== undefined) masker.add(value);
  }
  const stopWatching = await watchOnWorker(data.watch, placed.cwd, masker, (entry) =>
    out.add(entry),
  );
  const stage = spawnStage({
    command: data.command,
    cwd: placed.cwd,
    env: workerEnv({ ...data, ...placed }, files, context.env, context.worker),
  });
  context.log(`running ${jobId}: ${masker.mask(data.command)} (pid ${stage.pid ?? '-'})`);
  context.running.add(stage);
  context.locks.running(jobId, stage);
  await noteRunning(context.workDir, jobId, stage);
  relayOutput(stage, masker, out);
  const stopReporting = reportInputWait(stage, (entry) => out.add(entry));
  const following = followControl(context, jobId, stage, data.killGraceMs);
  const exit = await stage.exited;
  stopReporting();
  await Promise.all([following.stop(), stopWatching().catch(() => undefined)]);
  context.running.delete(stage);
  await forgetRunning(context.workDir, jobId);
  const result = masker.maskValue({ ...exit, ...(await collectJobFiles(files)) });
  context.log(`ended ${jobId}: ${describeExit(result)}`);
  return result;
}

/** Appends entries to an output stream in order, and keeps it for a while after the end. */
class OutputWriter {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
  ) {}

  add(entry: OutputEntry): void {
    // Commands on one connection are sent in order; the chain only catches failures.
    this.chain = this.redis.xadd(this.key, '*', ...entryFields(entry)).catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.chain;
    await this.redis.expire(this.key, STREAM_TTL_SECONDS).catch(() => undefined);
  }
}

function relayOutput(stage: StageProcess, masker: Masker, out: OutputWriter): void {
  for (const stream of ['stdout', 'stderr'] as const) {
    // Only a tail that may be the start of a secret waits for the next chunk; the rest leaves at once, masked.
    let rest = '';
    const onChunk = (chunk: Buffer): void => {
      if (masker.isEmpty) {
        out.add({ kind: 'chunk', stream, data: chunk });
        return;
      }
      const text = rest + chunk.toString('utf8');
      const held = secretPrefixLength(text, masker);
      rest = text.slice(text.length - held);
      const ready = masker.mask(text.slice(0, text.length - held));
      if (ready !== '') out.add({ kind: 'chunk', stream, data: Buffer.from(ready) });
    };
    if (stream === 'stdout') stage.onStdout(onChunk);
    else stage.onStderr(onChunk);
    void stage.exited.then(() => {
      if (rest !== '') out.add({ kind: 'chunk', stream, data: Buffer.from(masker.mask(rest)) });
    });
  }
}

/**
 * The length of the longest end of `text` that begins a secret without
 * completing it. Holding back just that is safe: a secret that started
 * earlier and ran past the end would itself be such an end, and longer.
 */
export function secretPrefixLength(text: string, masker: Masker): number {
  let longest = 0;
  for (const secret of masker.values()) {
    for (let length = Math.min(secret.length - 1, text.length); length > longest; length--) {
      if (secret.startsWith(text.slice(text.length - length))) {
        longest = length;
        break;
      }
    }
  }
  return longest;
}

/**
 * Sets the job's taken marker (see `takenMarkerKey`) unless a worker set it
 * before: undefined when this worker is the first, else who took it.
 */
async function takeOnce(context: RemoteAttemptContext, jobId: string): Promise<string | undefined> {
  const key = takenMarkerKey(context.queue, jobId);
  if ((await context.redis.set(key, context.worker, 'NX')) === 'OK') return undefined;
  return (await context.redis.get(key)) ?? 'unknown';
}

/** Why the stage's folder cannot be used on this worker, or undefined when it is a folder here. */
async function missingFolder(
  cwd: string,
  data: RemoteJobData,
  context: RemoteAttemptContext,
): Promise<string | undefined> {
  const stat = await fs.stat(cwd).catch(() => undefined);
  if (stat?.isDirectory() === true) return undefined;
  const where = `worker ${context.worker} on ${os.hostname()}`;
  return context.root === undefined
    ? `the stage's folder ${cwd} does not exist on ${where}: check the pipeline out at the same path there, or start the worker with --root <its checkout>`
    : `the stage's folder ${cwd} (${path.relative(context.root, cwd) || '.'} under --root ${context.root}, for ${data.cwd} under ${data.root ?? '?'}) does not exist on ${where}`;
}

/** Whether a kill was asked before the worker took the job (then nothing runs). */
async function killedBeforeStart(redis: Redis, queue: string, jobId: string): Promise<boolean> {
  const entries = await redis.xrange(controlStreamKey(queue, jobId), '-', '+').catch(() => []);
  return entries.some(([, fields]) => parseControl(fields)?.kind === 'kill');
}

/**
 * Reads the control stream while the stage runs: answers to its stdin, kills
 * of its tree. `stop` wakes the blocked read (CLIENT UNBLOCK on the shared
 * connection) and waits for the loop to return, so the reader goes back to
 * the pool with nothing pending on it (a late UNBLOCK only makes the next
 * user's read return empty, which every reader takes as "read again").
 */
function followControl(
  context: RemoteAttemptContext,
  jobId: string,
  stage: StageProcess,
  defaultGraceMs: number,
): { stop(): Promise<void> } {
  let stopped = false;
  let readerId: number | undefined;
  const control = context.readers.acquire();
  const key = controlStreamKey(context.queue, jobId);
  const loop = (async () => {
    // Asked each time: a reconnect gives the connection a new id.
    readerId = await (control.client('ID') as Promise<number>).catch(() => undefined);
    let lastId = '0';
    while (!stopped) {
      const reply = await control.xread('BLOCK', 1000, 'STREAMS', key, lastId).catch(() => null);
      for (const [id, fields] of reply?.[0]?.[1] ?? []) {
        lastId = id;
        const entry = parseControl(fields);
        if (entry?.kind === 'stdin') {
          await stage.writeStdin(entry.text);
          // Delivered: an answer (a password, say) stays in Redis no longer than that.
          void context.redis.xdel(key, id).catch(() => 0);
        }
        if (entry?.kind === 'kill') {
          void stage.kill({
            graceMs: Number.isFinite(entry.graceMs) ? entry.graceMs : defaultGraceMs,
          });
        }
      }
    }
  })();
  return {
    async stop(): Promise<void> {
      stopped = true;
      // Again until the loop returns: an UNBLOCK sent on another connection may reach Redis before the XREAD.
      const unblock = (): void => {
        if (readerId !== undefined) void context.redis.client('UNBLOCK', readerId).catch(() => 0);
      };
      unblock();
      const repeating = setInterval(unblock, 20);
      await loop;
      clearInterval(repeating);
      context.readers.release(control);
    },
  };
}

function describeExit(result: RemoteResult): string {
  if (result.error !== undefined) return result.error;
  if (result.signal !== undefined) return `ended by ${result.signal}`;
  return `exit code ${result.exitCode ?? '?'}`;
}
