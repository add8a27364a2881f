import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { RunState } from '@baton/core';
import { replayChanges } from '../../engine/replayChanges';
import type { Engine } from '../../engine/engine';
import { isRunId } from '../../store/runId';
import type { Logger } from '../logger';
import type { EventFeed } from './eventFeed';
import type { LogCoalescer } from './logCoalescer';

/** How often the files of active external runs are checked (file events alone miss appends). */
export const EXTERNAL_POLL_MS = 250;
/** Largest log read per change notice; the rest is read on the next round. */
const LOG_READ_BYTES = 1024 * 1024;
const LOG_NAME = /^(.+)\.(\d+)\.log$/;
/** Run statuses after which nothing more happens until someone resumes the run. */
const FINAL = new Set(['succeeded', 'failed', 'cancelled', 'interrupted']);

interface WatchedRun {
  state: RunState | undefined;
  /** Size of `events.jsonl` when last read, so polling reads it only when it grew. */
  eventsSize: number;
  /** Bytes of each stage log (`<stage>.<attempt>.log`) already forwarded. */
  readonly logOffsets: Map<string, number>;
  /** A refresh is running; `again` asks for one more once it ends. */
  busy: boolean;
  again: boolean;
}

/**
 * Follows runs that other processes (the CLI, another window's server) own:
 * watches `.baton/runs` with chokidar, replays each run's new events onto its
 * last state, feeds the changes to the event feed and tails its stage logs.
 * Answers and stops for those runs go through the engine (the run's inbox).
 */
export class ExternalRunWatcher {
  private readonly runs = new Map<string, WatchedRun>();
  /** Runs this server's engine has run at some point: never treated as external. */
  private readonly local = new Set<string>();
  private watcher: FSWatcher | undefined;
  private pollTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly engine: Engine,
    private readonly feed: EventFeed,
    private readonly logs: LogCoalescer,
    private readonly logger: Logger,
  ) {}

  /** Remembers that this server's engine runs `runId`. */
  markLocal(runId: string): void {
    if (this.local.has(runId)) return;
    this.local.add(runId);
    this.runs.delete(runId);
    this.unwatchRun(runId);
  }

  /**
   * Watches `.baton/runs`, then reads the runs already there (active ones are
   * followed from their current log sizes). Watching first means a run that
   * appears meanwhile is seen by one of the two.
   */
  async start(): Promise<void> {
    const runsDir = this.engine.store.paths.runsDir;
    await fs.mkdir(runsDir, { recursive: true, mode: 0o700 });
    // This server's own runs are not followed from disk: watching their files would cost a
    // stat for every write of a flooding stage's log.
    this.watcher = watch(runsDir, {
      ignoreInitial: true,
      depth: 2,
      ignored: (file: string) => this.isLocalRunPath(runsDir, file),
    });
    const onFile = (file: string): void => this.onFileChanged(runsDir, file);
    this.watcher.on('add', onFile).on('change', onFile);
    this.watcher.on('error', (error) =>
      this.logger.error('Watching the runs directory failed', error),
    );
    await new Promise<void>((resolve) => this.watcher?.once('ready', () => resolve()));
    // chokidar reports new files reliably but can miss appends to a file kept open by its
    // writer, so the files of runs still active are also checked on a short interval.
    this.pollTimer = setInterval(() => void this.poll(), EXTERNAL_POLL_MS);
    this.pollTimer.unref();
    for (const listing of await this.engine.store.listRuns({ limit: 200 })) {
      if (!('state' in listing) || this.isLocal(listing.runId) || this.runs.has(listing.runId))
        continue;
      const entry = this.entry(listing.runId);
      entry.state = listing.state;
      await this.skipExistingLogs(listing.runId, entry);
      this.feed.introduceRun(listing.state);
      this.refresh(listing.runId);
    }
  }

  /** Stops watching. */
  async dispose(): Promise<void> {
    if (this.pollTimer !== undefined) clearInterval(this.pollTimer);
    await this.watcher?.close();
  }

  /** Checks the event log and stage logs of every followed run that is not final yet. */
  private async poll(): Promise<void> {
    for (const [runId, entry] of this.runs) {
      if (entry.state !== undefined && FINAL.has(entry.state.status)) continue;
      const runDir = this.engine.store.paths.runDir(runId);
      const size = await fs.stat(path.join(runDir, 'events.jsonl')).then(
        (s) => s.size,
        () => -1,
      );
      if (size !== entry.eventsSize) {
        entry.eventsSize = size;
        this.refresh(runId);
      }
      await this.tailAllLogs(runId, entry);
    }
  }

  /** Forwards what any stage log of the run gained. */
  private async tailAllLogs(runId: string, entry: WatchedRun): Promise<void> {
    const logsDir = path.join(this.engine.store.paths.runDir(runId), 'logs');
    for (const name of await fs.readdir(logsDir).catch(() => [] as string[])) {
      const size = await fs.stat(path.join(logsDir, name)).then(
        (s) => s.size,
        () => 0,
      );
      if (size > (entry.logOffsets.get(name) ?? 0)) await this.tailLog(runId, name);
    }
  }

  /** Whether `file` is in the folder of a run this server runs or ran. */
  private isLocalRunPath(runsDir: string, file: string): boolean {
    const runId = path.relative(runsDir, file).split(path.sep)[0];
    return runId !== undefined && isRunId(runId) && this.isLocal(runId);
  }

  /**
   * Stops watching the files of a run that turned out to be this server's:
   * its folder can appear (and be watched) a moment before the engine owns it.
   */
  private unwatchRun(runId: string): void {
    const watcher = this.watcher;
    if (watcher === undefined) return;
    const runDir = this.engine.store.paths.runDir(runId);
    const watched: string[] = [];
    for (const [dir, names] of Object.entries(watcher.getWatched())) {
      if (dir !== runDir && !dir.startsWith(`${runDir}${path.sep}`)) continue;
      watched.push(dir, ...names.map((name) => path.join(dir, name)));
    }
    if (watched.length > 0) watcher.unwatch(watched);
  }

  private isLocal(runId: string): boolean {
    return this.local.has(runId) || this.engine.ownsRun(runId);
  }

  private entry(runId: string): WatchedRun {
    let entry = this.runs.get(runId);
    if (entry === undefined) {
      entry = {
        state: undefined,
        eventsSize: -1,
        logOffsets: new Map(),
        busy: false,
        again: false,
      };
      this.runs.set(runId, entry);
    }
    return entry;
  }

  private onFileChanged(runsDir: string, file: string): void {
    const [runId, first, second] = path.relative(runsDir, file).split(path.sep);
    if (runId === undefined || !isRunId(runId) || this.isLocal(runId)) return;
    if (first === 'events.jsonl' || first === 'run.json') this.refresh(runId);
    else if (first === 'logs' && second !== undefined) void this.tailLog(runId, second);
  }

  /** Brings a run's state up to date; calls that overlap are folded into one more round. */
  private refresh(runId: string): void {
    const entry = this.entry(runId);
    if (entry.busy) {
      entry.again = true;
      return;
    }
    entry.busy = true;
    void this.catchUp(runId, entry)
      .catch((error: unknown) =>
        this.logger.warn(`Following run ${runId} failed: ${String(error)}`),
      )
      .finally(() => {
        entry.busy = false;
        if (entry.again) {
          entry.again = false;
          this.refresh(runId);
        }
      });
  }

  private async catchUp(runId: string, entry: WatchedRun): Promise<void> {
    let state = entry.state;
    if (state === undefined) {
      const owner = await this.engine.store.readRunOwner(runId).catch(() => undefined);
      if (owner?.pid === process.pid || this.isLocal(runId)) return this.markLocal(runId);
      state = await this.engine.store.readCheckpoint(runId).catch(() => undefined);
      if (state === undefined) return; // No checkpoint yet: the next change brings it.
    }
    const { events } = await this.engine.store.readEvents(runId, state.seq);
    const changes = replayChanges(state, events);
    if (this.isLocal(runId)) return;
    if (entry.state === undefined) this.feed.introduceRun(state);
    if (changes.length > 0) {
      // Output written before these events goes out before the change it led to.
      await this.tailAllLogs(runId, entry);
      this.logs.flush();
      entry.state = changes.at(-1)?.after;
      this.feed.applyChanges(entry.state ?? state, changes);
    } else entry.state = state;
  }

  /** Forwards what a stage log of an external run gained since the last read. */
  private async tailLog(runId: string, name: string): Promise<void> {
    const match = LOG_NAME.exec(name);
    if (match?.[1] === undefined || match[2] === undefined) return;
    const stage = match[1];
    const attempt = Number(match[2]);
    const entry = this.entry(runId);
    let offset = entry.logOffsets.get(name) ?? 0;
    for (;;) {
      const slice = await this.engine.store
        .readLog(runId, stage, attempt, offset, LOG_READ_BYTES)
        .catch(() => undefined);
      if (slice === undefined || slice.nextOffset === offset) break;
      // Another read may have advanced meanwhile; only forward bytes nobody forwarded yet.
      if ((entry.logOffsets.get(name) ?? 0) !== offset) break;
      entry.logOffsets.set(name, slice.nextOffset);
      this.logs.append(runId, stage, attempt, slice.text, offset);
      offset = slice.nextOffset;
      if (slice.eof) break;
    }
  }

  /** An active run found at start: its logs so far are history (`baton/getLog`), not news. */
  private async skipExistingLogs(runId: string, entry: WatchedRun): Promise<void> {
    const dir = path.join(this.engine.store.paths.runDir(runId), 'logs');
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      const size = await fs.stat(path.join(dir, name)).then(
        (s) => s.size,
        () => 0,
      );
      entry.logOffsets.set(name, size);
    }
  }
}
