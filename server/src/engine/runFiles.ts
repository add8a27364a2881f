import { promises as fs } from 'node:fs';
import type { RunState } from '@baton/core';
import type { EventLogContents } from '../store/eventLog';
import { isRunOwnerAlive } from '../store/lock';
import type { LockOwner } from '../store/lockOwner';
import type { LogSlice } from '../store/logWriter';
import { readLogSlice } from '../store/logWriter';
import type { HistoryPage, HistoryQuery } from '../store/historyPages';
import { readHistoryPage } from '../store/historyPages';
import { RunFollower } from '../store/runFollower';
import type { RunFollowerOptions } from '../store/runFollower';
import type { RunListing, RunStore } from '../store/runStore';

/**
 * The engine's run files as its callers may see them: listings, checkpoints,
 * events, logs, owners and locks, read (and a dead owner's pipeline lock
 * broken), never written. The CLI and the RPC handlers reach the store only
 * through this, as `engine.files`; what changes a run goes through the engine.
 */
export class RunFiles {
  constructor(private readonly store: RunStore) {}

  /** Absolute path of the state directory. */
  get stateDir(): string {
    return this.store.paths.root;
  }

  /** The folder that holds one folder per run (for watching which runs appear). */
  get runsDir(): string {
    return this.store.paths.runsDir;
  }

  /** The runs on disk, newest first (see `RunStore.listRuns`). */
  listRuns(options?: Parameters<RunStore['listRuns']>[0]): Promise<RunListing[]> {
    return this.store.listRuns(options);
  }

  /**
   * A page of the run history, newest first, from the runs' history entries
   * (`run.json` only where an entry cannot answer; see `readHistoryPage`).
   */
  readHistoryPage(query: HistoryQuery): Promise<HistoryPage> {
    return readHistoryPage(this.store, query);
  }

  /** The ids of the runs on disk, newest first. */
  listRunIds(): Promise<string[]> {
    return this.store.listRunIds();
  }

  /** A run's checkpoint (`run.json`), as its owner last wrote it. */
  readCheckpoint(runId: string): Promise<RunState> {
    return this.store.readCheckpoint(runId);
  }

  /** A run's logged events after `afterSeq` (see `readEventLog`). */
  readEvents(runId: string, afterSeq = 0): Promise<EventLogContents> {
    return this.store.readEvents(runId, afterSeq);
  }

  /** Who owns a run, if anyone has claimed it. */
  readRunOwner(runId: string): Promise<LockOwner | undefined> {
    return this.store.readRunOwner(runId);
  }

  /**
   * Whether a live process owns the run. False when no owner is recorded (the
   * run never started or was let go of) or the recorded one is dead.
   */
  async isRunOwnerAlive(runId: string): Promise<boolean> {
    const owner = await this.store.readRunOwner(runId).catch(() => undefined);
    return owner !== undefined && isRunOwnerAlive(owner);
  }

  /**
   * Up to `limit` bytes of a stage attempt's log from `from` (negative: that
   * many bytes before the end), where they start, and the log's size. A
   * missing log reads as empty.
   */
  async readLog(
    runId: string,
    stage: string,
    attempt: number,
    from: number,
    limit: number,
  ): Promise<LogSlice & { readonly offset: number; readonly size: number }> {
    return readSlice(this.store.paths.stageLogFile(runId, stage, attempt), from, limit);
  }

  /** As `readLog`, of the run's own log (`run.log`: Baton's notes that belong to no stage). */
  async readRunLog(
    runId: string,
    from: number,
    limit: number,
  ): Promise<LogSlice & { readonly offset: number; readonly size: number }> {
    return readSlice(this.store.paths.runLogFile(runId), from, limit);
  }

  /** The file a stage writes its `$BATON_SUMMARY` markdown to. */
  stageSummaryFile(runId: string, stage: string): string {
    return this.store.paths.stageSummaryFile(runId, stage);
  }

  /** Who holds a pipeline's lock, if anyone. */
  readPipelineLock(pipelineId: string): Promise<LockOwner | undefined> {
    return this.store.readPipelineLock(pipelineId);
  }

  /** Removes a pipeline's lock (callers check first that its owner is gone). */
  breakPipelineLock(pipelineId: string): Promise<{ removed: boolean; owner?: LockOwner }> {
    return this.store.breakPipelineLock(pipelineId);
  }

  /** Follows a run's event log and stage logs as another process writes them. */
  followRun(runId: string, options: RunFollowerOptions): RunFollower {
    return new RunFollower(this.store.paths, runId, options);
  }
}

/** Up to `limit` bytes of a log file from `from` (negative: from the end); a missing file reads as empty. */
async function readSlice(
  file: string,
  from: number,
  limit: number,
): Promise<LogSlice & { readonly offset: number; readonly size: number }> {
  const size = await fs.stat(file).then(
    (stat) => stat.size,
    () => 0,
  );
  const offset = Math.min(size, from < 0 ? Math.max(0, size + from) : from);
  if (offset >= size) return { text: '', offset, nextOffset: offset, eof: true, size };
  return { ...(await readLogSlice(file, offset, limit)), offset, size };
}
