import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ExecutorCondition, Progress, StageHandle } from '@baton/core';
import { localTimeOfDay } from '@baton/protocol';
import type { InputWaitState } from '../../process/inputWait';
import type { StageExit } from '../../process/spawnStage';
import type { KillResult } from '../../process/treeKiller';
import type { ExecutedStage } from '../stageExecutor';
import { ChunkBuffer } from './chunkBuffer';
import { RemoteStop } from './remoteStop';
import type { PendingStopPlace } from './pendingStops';
import type { ReaderPool } from './readerPool';
import type { ConnectionWatch } from './connectionWatch';
import type { WorkerPresence } from './workerPresence';
import { parseEntry } from './outputStream';
import { failFromOutside, removeIfWaiting, sendControl } from './jobControl';
import type { ControlEntry, OutputEntry } from './outputStream';
import { KEY_PREFIX, outputStreamKey, takenMarkerKey } from './remoteJob';
import type { RemoteResult, WorkerClaim } from './remoteJob';

/** What a remote stage needs: its queue, connections and job, and what to do at its end. */
export interface RemoteStageOptions {
  readonly queue: Queue;
  readonly queueName: string;
  /** The shared connection for writes (control entries, job look-ups). */
  readonly redis: Redis;
  /** Where the stage borrows a connection for blocking reads of its output stream, and hands it back. */
  readonly readers: ReaderPool;
  readonly jobId: string;
  readonly handle: StageHandle;
  /** Adds the job (launch) or nothing (attach); called once the gate opens. */
  readonly submit: () => Promise<void>;
  /** Bytes of output already in the engine's log (attach): they are skipped. */
  readonly skipBytes: number;
  /** Writes the files the stage left on its worker into the engine's files, before the exit is reported. */
  readonly deliver: (result: RemoteResult) => Promise<void>;
  /** How long a worker may hold a job without its lock before it counts as gone. */
  readonly lockLossChecks: number;
  /** How long Redis may be unreachable before the attempt fails. */
  readonly unreachableLimitMs: number;
  /** Whether Redis can be reached: the attempt says so while it cannot, and fails after the limit. */
  readonly connection: ConnectionWatch;
  /** How many workers listen on the queue, for a job that waits ("no worker"). */
  readonly presence: WorkerPresence;
  /** The executor, for people and messages: `bullmq at redis://host:6379` (no password). */
  readonly executorName: string;
  /** Where a stop waits for Redis, so it outlives this process; absent: in memory only. */
  readonly pendingStop?: PendingStopPlace;
}

/** Longest block of one read of the output stream; between reads the job's health is checked. */
const READ_BLOCK_MS = 1000;

/**
 * How long after Redis is back a missing lock is not held against a worker:
 * the lock expired during the outage, and the worker takes it back once its
 * own connection is ready again (ioredis retries at least every 2 seconds).
 */
const RECONNECT_GRACE_MS = 5000;

/**
 * A stage attempt that runs on a `baton worker`: its output is read from the
 * job's output stream (from the start, or after what the log holds), answers
 * and kills go through the control stream, and its end is the stream's `end`
 * entry, or a failure the orchestrator finds itself (the worker's lock lapsed,
 * the job is gone, Redis stayed unreachable).
 */
export class RemoteStage implements ExecutedStage {
  readonly pid = undefined;
  readonly startTime = undefined;
  readonly processToken = '';
  readonly exited: Promise<StageExit>;
  private readonly stdout = new ChunkBuffer();
  private readonly stderr = new ChunkBuffer();
  private readonly watchText = new ChunkBuffer<string>();
  private readonly watchProgress = new ChunkBuffer<Progress>();
  private resolveExit: (exit: StageExit) => void = () => undefined;
  private ended = false;
  private started = false;
  private claim: WorkerClaim | undefined;
  private lockMisses = 0;
  private skip: number;
  private unreachableSince: number | undefined;
  private claimed: (where: string) => void = () => undefined;
  private condition: ExecutorCondition | undefined;
  private inputWait: InputWaitState = 'unknown';
  private silentRead = false;
  private conditionChanged: (condition: ExecutorCondition | undefined) => void = () => undefined;
  private unwatch: (() => void) | undefined;
  private watchedSince = 0;
  private limitTimer: NodeJS.Timeout | undefined;
  private readonly stops: RemoteStop;

  constructor(private readonly options: RemoteStageOptions) {
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
    this.skip = options.skipBytes;
    this.stops = new RemoteStop({
      ...(options.pendingStop === undefined ? {} : { place: options.pendingStop }),
      queue: options.queueName,
      jobId: options.jobId,
      unreachable: () => options.connection.unreachableSince !== undefined,
      kill: (graceMs) => this.control({ kind: 'kill', graceMs }),
      failJob: (reason) => this.failJob(reason),
    });
  }

  get handle(): StageHandle {
    return this.options.handle;
  }

  /** Where the attempt runs, once a worker took it: `worker w2 on host gpu-1`. */
  get where(): string | undefined {
    return this.claim && `worker ${this.claim.worker} on ${this.claim.host}`;
  }

  onClaimed(callback: (where: string) => void): void {
    this.claimed = callback;
  }

  onCondition(callback: (condition: ExecutorCondition | undefined) => void): void {
    this.conditionChanged = callback;
  }

  onWatch(onText: (text: string) => void, onProgress: (progress: Progress) => void): void {
    this.watchText.onChunk(onText);
    this.watchProgress.onChunk(onProgress);
  }

  onStdout(callback: (chunk: Buffer) => void): void {
    this.stdout.onChunk(callback);
  }

  onStderr(callback: (chunk: Buffer) => void): void {
    this.stderr.onChunk(callback);
  }

  async writeStdin(text: string): Promise<boolean> {
    if (this.ended) return false;
    return this.control({ kind: 'stdin', text });
  }

  closeStdin(): void {
    // A remote stage's stdin closes when it exits; nothing asks for an earlier close.
  }

  pauseOutput(): void {
    // Output waits in Redis while the engine is busy: the stream is the buffer.
  }

  resumeOutput(): void {
    // See pauseOutput.
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.watchConnection();
    void this.options.submit().then(
      () => this.follow(),
      (error: unknown) =>
        this.end({ error: `could not hand the stage to Redis: ${String(error)}` }),
    );
  }

  /** Starts following without submitting (a re-attached attempt). */
  follow(): void {
    this.started = true;
    this.watchConnection();
    void this.readLoop();
  }

  /** As the worker last read it on its `/proc` (`unknown` until it says). */
  inputWaitState(): InputWaitState {
    return this.inputWait;
  }

  stdinReader(): undefined {
    return undefined;
  }

  /** The attempt's end is recorded: its taken marker is no longer needed for a re-attach. */
  endRecorded(): void {
    const { redis, queueName, jobId } = this.options;
    void redis.del(takenMarkerKey(queueName, jobId)).catch(() => 0);
  }

  /** As the worker last found it: the stage's stdin is read by a shell's `read -s`. */
  stdinReadIsSilent(): boolean {
    return this.silentRead;
  }

  /**
   * Asks the worker to end the stage's whole process tree; resolves once the
   * worker confirmed its end (the `end` entry). A job no worker took yet is
   * taken off the queue instead, so it never runs.
   */
  async kill(options: { readonly graceMs?: number } = {}): Promise<KillResult> {
    if (!this.ended) {
      // Redis unreachable: the kill waits in ioredis's queue (and on disk, for a
      // courier), and the attempt ends by the limit.
      const { delivered } = await this.stops.send(options.graceMs ?? 5000);
      await Promise.race([delivered, this.exited]);
      if (!this.started) this.end({ signal: 'SIGTERM' });
      else if (await removeIfWaiting(this.options.queue, this.options.jobId))
        this.end({ signal: 'SIGTERM' });
    }
    await this.exited;
    return { escalated: false, survivors: [] };
  }

  private control(entry: ControlEntry): Promise<boolean> {
    return sendControl(this.options.redis, this.options.queueName, this.options.jobId, entry);
  }

  private async readLoop(): Promise<void> {
    const key = outputStreamKey(this.options.queueName, this.options.jobId);
    const reader = this.options.readers.acquire();
    let lastId = '0';
    while (!this.ended) {
      let reply: [Buffer, [Buffer, Buffer[]][]][] | null;
      try {
        reply = await reader.xreadBuffer('BLOCK', READ_BLOCK_MS, 'STREAMS', key, lastId);
        this.unreachableSince = undefined;
      } catch (error) {
        await this.unreachable(error);
        continue;
      }
      const entries = reply?.[0]?.[1] ?? [];
      for (const [id, fields] of entries) {
        lastId = id.toString();
        const entry = parseEntry(fields);
        if (entry !== undefined) await this.take(entry);
        if (this.ended) break;
      }
      if (entries.length === 0 && !this.ended) await this.checkHealth();
    }
    // The loop returned, so no read is pending: the next stage may use the connection.
    this.options.readers.release(reader);
  }

  private async take(entry: OutputEntry): Promise<void> {
    switch (entry.kind) {
      case 'start':
        this.claim = entry.claim;
        // The core clears "no worker" with the claim; nothing more to report.
        if (this.condition?.kind === 'noWorker') this.condition = undefined;
        this.claimed(`worker ${entry.claim.worker} on ${entry.claim.host}`);
        return;
      case 'chunk': {
        const data = this.unlogged(entry.data);
        if (data.length > 0) (entry.stream === 'stdout' ? this.stdout : this.stderr).push(data);
        return;
      }
      case 'watch': {
        // Watched files' text goes into the log as it is, so a re-attach skips it as it skips output.
        const data = this.unlogged(Buffer.from(entry.text));
        if (data.length > 0) this.watchText.push(data.toString());
        return;
      }
      case 'progress':
        this.watchProgress.push(entry.progress);
        return;
      case 'input':
        this.inputWait = entry.state;
        this.silentRead = entry.silent === true;
        return;
      case 'end': {
        const { result } = entry;
        await this.options.deliver(result).catch(() => undefined);
        this.end(
          result.error !== undefined
            ? { error: result.error }
            : result.signal !== undefined
              ? { signal: result.signal }
              : { exitCode: result.exitCode ?? 1 },
        );
        return;
      }
      default: {
        const never: never = entry;
        throw new Error(`unknown entry ${JSON.stringify(never)}`);
      }
    }
  }

  /** What of `data` the engine's log does not hold yet (a re-attach starts after the log's bytes). */
  private unlogged(data: Buffer): Buffer {
    if (this.skip === 0) return data;
    const skipped = Math.min(this.skip, data.length);
    this.skip -= skipped;
    return data.subarray(skipped);
  }

  /**
   * Between reads: a job that failed without an `end` entry, or is active
   * while no worker holds its lock, lost its worker; a job that is gone was lost.
   */
  private async checkHealth(): Promise<void> {
    const { queue, jobId, redis } = this.options;
    let state: string;
    let failedReason: string | undefined;
    try {
      const job = await queue.getJob(jobId);
      state = job === undefined ? 'gone' : await job.getState();
      failedReason = job?.failedReason;
      if (state === 'active') {
        const locked = await redis.exists(`${KEY_PREFIX}:${this.options.queueName}:${jobId}:lock`);
        const settling = this.options.connection.reachableFor() < RECONNECT_GRACE_MS;
        this.lockMisses = locked === 1 || settling ? 0 : this.lockMisses + 1;
      }
    } catch (error) {
      await this.unreachable(error);
      return;
    }
    if ((state === 'waiting' || state === 'prioritized') && this.claim === undefined) {
      await this.checkWorkers();
    }
    const who = this.where ?? 'its worker';
    if (state === 'failed') {
      this.end({ error: `${who} stopped responding (${failedReason ?? 'the job failed'})` });
    } else if (state === 'active' && this.lockMisses >= this.options.lockLossChecks) {
      const error = `${who} stopped responding: it no longer holds the job's lock`;
      // Failed in Redis too (workers run no stalled checks), so a worker that comes back lets it go.
      await this.failJob(error);
      this.end({ error });
    } else if (state === 'gone') {
      this.end({ error: `the job ${jobId} is gone from Redis, so the attempt is lost` });
    }
  }

  private failJob(reason: string): Promise<void> {
    return failFromOutside(this.options.queue, this.options.jobId, reason);
  }

  /** A job waiting on its queue: "no worker" while nobody listens there, cleared once somebody does. */
  private async checkWorkers(): Promise<void> {
    const count = await this.options.presence.workersOn(this.options.queue);
    if (count === 0) this.setCondition({ kind: 'noWorker', queue: this.options.queueName });
    else if (count !== undefined && this.condition?.kind === 'noWorker')
      this.setCondition(undefined);
  }

  /** Commands that fail (rather than wait) for as long as the limit also end the attempt. */
  private async unreachable(error: unknown): Promise<void> {
    const now = Date.now();
    this.unreachableSince ??= now;
    if (now - this.unreachableSince > this.options.unreachableLimitMs) {
      this.end({ error: `${this.unreachableMessage(this.unreachableSince)}: ${String(error)}` });
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, READ_BLOCK_MS));
  }

  private watchConnection(): void {
    if (this.unwatch !== undefined) return;
    this.watchedSince = Date.now();
    this.unwatch = this.options.connection.subscribe((since) => this.onReachability(since));
  }

  /**
   * Redis went away (`since`) or came back (undefined). The limit counts from
   * when this attempt first saw it unreachable, so a retry started during an
   * outage gets the whole limit too.
   */
  private onReachability(since: number | undefined): void {
    // A stop asked before Redis was seen to go: it may now outlast this process.
    if (since !== undefined) this.stops.handToCourier();
    if (this.ended) return;
    clearTimeout(this.limitTimer);
    if (since === undefined) {
      if (this.condition?.kind === 'unreachable') this.setCondition(undefined);
      return;
    }
    this.setCondition({ kind: 'unreachable', executor: this.options.executorName, since });
    const waited = Date.now() - Math.max(since, this.watchedSince);
    const left = Math.max(0, this.options.unreachableLimitMs - waited);
    this.limitTimer = setTimeout(() => this.giveUp(this.unreachableMessage(since)), left);
  }

  /**
   * Fails the attempt now, and makes sure its stage does not run on behind
   * Baton's back: a kill and the job's failure wait in ioredis's queue and
   * on disk, and reach Redis when it is back (by this process if it still
   * lives, else by the courier it started), so the worker ends the stage and
   * does not take the job's lock back. The attempt's error says so.
   */
  private giveUp(error: string): void {
    // Kept (and handed to a courier) before the end is reported: the run may exit right after.
    void this.stops
      .send(5000, error)
      .then(() => this.end({ error: `${error}${this.stops.keptNote()}` }));
  }

  private unreachableMessage(since: number): string {
    const limit = this.options.unreachableLimitMs;
    return `executor ${this.options.executorName} unreachable since ${localTimeOfDay(since)} (${new Date(since).toISOString()}), longer than the limit of ${limit} ms (BATON_EXECUTOR_UNREACHABLE_LIMIT_MS)`;
  }

  private setCondition(condition: ExecutorCondition | undefined): void {
    if (JSON.stringify(condition) === JSON.stringify(this.condition)) return;
    this.condition = condition;
    this.conditionChanged(condition);
  }

  private end(exit: StageExit): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.limitTimer);
    this.unwatch?.();
    this.resolveExit(exit);
  }
}
