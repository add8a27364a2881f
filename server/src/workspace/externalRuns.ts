import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { isStoppedRunStatus, type LoggedEvent, type RunState } from '@baton/core';
import { RUN_LOG_STAGE } from '@baton/protocol';
import type { Engine } from '../engine/engine';
import { replayChanges } from '../engine/replayChanges';
import type { RunFollower } from '../store/runFollower';
import { isHistoryEntryFile } from '../store/historyFile';
import { isRunId } from '../store/runId';
import type { Logger } from '../rpc/logger';
import type { EventFeed } from '../rpc/service/eventFeed';
import type { LogCoalescer } from '../rpc/service/logCoalescer';

/** A run of another process this server knows of. */
interface KnownRun {
  state: RunState;
  /** Set while the run is active: follows its event log and stage logs. */
  follower: RunFollower | undefined;
}

/**
 * Follows runs that other processes own (the CLI, another window's server).
 * One watcher on `.baton/runs` notices runs that appear or wake up (a
 * resume); each active one gets a `RunFollower`, whose events are replayed
 * through the core one at a time and told to the feed, and whose stage logs
 * go to the log coalescer. Answers and stops for those runs go through the
 * engine (the run's inbox).
 */
export class ExternalRunWatcher {
  private readonly runs = new Map<string, KnownRun>();
  /** Runs this server's engine has run at some point: never treated as external. */
  private readonly local = new Set<string>();
  /** Runs being looked at, so the watcher's bursts of events make one look each. */
  private readonly looking = new Set<string>();
  private watcher: FSWatcher | undefined;
  private disposed = false;

  constructor(
    private readonly engine: Engine,
    private readonly feed: EventFeed,
    private readonly logs: LogCoalescer,
    private readonly logger: Logger,
  ) {}

  /** Remembers that this server's engine runs `runId`, and stops following it from disk. */
  markLocal(runId: string): void {
    if (this.local.has(runId)) return;
    this.local.add(runId);
    // Its folder may have been watched before the run was known as this server's (the folder
    // comes before the first change): unwatched, its checkpoints cost no listing of the folder.
    this.watcher?.unwatch(path.join(this.engine.files.runsDir, runId));
    const known = this.runs.get(runId);
    this.runs.delete(runId);
    void known?.follower?.close();
  }

  /**
   * Watches `.baton/runs`, then reads the runs already there (active ones are
   * followed from their current log sizes: what they printed so far is
   * history, read with `baton/getLog`). Watching first means a run that
   * appears meanwhile is seen by one of the two.
   */
  async start(): Promise<void> {
    const runsDir = this.engine.files.runsDir;
    await fs.mkdir(runsDir, { recursive: true, mode: 0o700 });
    // Depth 1: a run's folder and the files directly in it (a new checkpoint or owner shows a
    // run that starts or is resumed); what happens inside an active run is the follower's.
    // This server's own runs are not watched: each event they log would cost a look.
    // Nor are history entries: derived from run.json (whose change is seen), and
    // rebuilt by listings, which must not make a thousand old runs look new.
    this.watcher = watch(runsDir, {
      ignoreInitial: true,
      depth: 1,
      ignored: (file: string) =>
        isHistoryEntryFile(file) || this.isLocal(runIdOf(runsDir, file) ?? ''),
    });
    const onPath = (file: string): void => {
      const runId = runIdOf(runsDir, file);
      if (runId !== undefined) void this.look(runId);
    };
    this.watcher.on('add', onPath).on('change', onPath).on('addDir', onPath);
    this.watcher.on('error', (error) =>
      this.logger.error('Watching the runs directory failed', error),
    );
    await new Promise<void>((resolve) => this.watcher?.once('ready', () => resolve()));
    for (const listing of await this.engine.files.listRuns({ limit: 200 })) {
      if (!('state' in listing) || this.isLocal(listing.runId) || this.runs.has(listing.runId))
        continue;
      this.feed.introduceRun(listing.state);
      this.runs.set(listing.runId, { state: listing.state, follower: undefined });
      // A stopped run is followed again only if the watcher sees it move.
      if (!isStoppedRunStatus(listing.state.status)) await this.follow(listing.runId, 'end');
    }
  }

  /** Stops watching and following. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.watcher?.close();
    await Promise.all([...this.runs.values()].map((run) => run.follower?.close()));
  }

  private isLocal(runId: string): boolean {
    return this.local.has(runId) || this.engine.ownsRun(runId);
  }

  /** A run's folder changed: a new run, or a stopped one that may move again. */
  private async look(runId: string): Promise<void> {
    if (this.isLocal(runId) || this.runs.get(runId)?.follower !== undefined) return;
    if (this.looking.has(runId)) return;
    this.looking.add(runId);
    try {
      const owner = await this.engine.files.readRunOwner(runId).catch(() => undefined);
      if (owner?.pid === process.pid || this.isLocal(runId)) return this.markLocal(runId);
      // No checkpoint yet: its first write is another change of the folder.
      const state = await this.engine.files.readCheckpoint(runId).catch(() => undefined);
      if (state === undefined || this.isLocal(runId)) return;
      const known = this.runs.get(runId);
      if (known === undefined) {
        this.feed.introduceRun(state);
        this.runs.set(runId, { state, follower: undefined });
        // A new run: everything it printed is news.
        await this.follow(runId, 'start');
      } else if (state.seq > known.state.seq || !isStoppedRunStatus(state.status)) {
        await this.follow(runId, 'end');
      }
    } catch (error) {
      this.logger.warn(`Following run ${runId} failed: ${String(error)}`);
    } finally {
      this.looking.delete(runId);
    }
  }

  /**
   * Follows a run's events after its known state and its logs. A stopped run
   * is followed only until the follower has caught up: if nobody resumed it,
   * nothing more comes and the follower is closed.
   */
  private async follow(runId: string, logsFrom: 'start' | 'end'): Promise<void> {
    const run = this.runs.get(runId);
    if (run === undefined || run.follower !== undefined || this.disposed) return;
    const follower = this.engine.files.followRun(runId, { afterSeq: run.state.seq, logsFrom });
    run.follower = follower;
    follower.on('event', (event) => this.onEvent(runId, event));
    follower.on('log', ({ stage, attempt, text, offset }) =>
      this.logs.append(runId, stage, attempt, text, offset),
    );
    follower.on('runLog', ({ text, offset }) =>
      this.logs.append(runId, RUN_LOG_STAGE, 1, text, offset),
    );
    follower.on('error', (error) =>
      this.logger.warn(`Reading run ${runId} failed: ${String(error)}`),
    );
    await follower.ready();
    if (isStoppedRunStatus(run.state.status)) await this.unfollow(run, follower);
  }

  /** Replays one event of the run's log through the core and tells the feed what it changed. */
  private onEvent(runId: string, event: LoggedEvent): void {
    const run = this.runs.get(runId);
    if (run === undefined || this.isLocal(runId)) return;
    const [change] = replayChanges(run.state, [event]);
    if (change === undefined) {
      this.logger.warn(`Run ${runId}: event ${event.seq} does not follow its state; skipped`);
      return;
    }
    run.state = change.after;
    // Output written before this event goes out before the change it led to.
    this.logs.flush();
    this.feed.applyChanges(change.after, [change]);
    if (isStoppedRunStatus(change.after.status) && run.follower !== undefined)
      void this.unfollow(run, run.follower);
  }

  /** Stops following a run that stopped; the folder watcher notices if it moves again. */
  private async unfollow(run: KnownRun, follower: RunFollower): Promise<void> {
    if (run.follower !== follower) return;
    run.follower = undefined;
    // Closing reads the files to their end, so the run's last output is still forwarded.
    await follower.close();
  }
}

/** The run whose folder `file` is in (or is), if it is a run's. */
function runIdOf(runsDir: string, file: string): string | undefined {
  const runId = path.relative(runsDir, file).split(path.sep)[0];
  return runId !== undefined && isRunId(runId) ? runId : undefined;
}
