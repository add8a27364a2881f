/**
 * The run store: everything the engine keeps on disk about runs, behind one
 * object rooted at a state directory. Paths come from `StatePaths` (validated
 * ids only); files are written atomically or appended through batching
 * writers; every file is owner-only (0600) and every directory 0700.
 */
import type { RunState } from '@baton/core';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ensureDir, FILE_MODE, fsyncDir, writeFileAtomic } from './atomicFile';
import type { HistoryEntry } from './historyEntry';
import { checkpointPieces } from './checkpointText';
import { isFinalEntry, storedHistoryEntryOf } from './historyEntry';
import type { HistoryEntryRead } from './historyFile';
import {
  readHistoryEntry,
  rebuildHistoryEntry,
  removeHistoryEntry,
  writeHistoryEntry,
} from './historyFile';
import type { EventLogContents, EventLogWriterOptions } from './eventLog';
import { EventLogWriter, readEventLog } from './eventLog';
import type { InboxEntry, InboxMessage, InboxProblem } from './inbox';
import { consumeInboxMessage, readInbox, writeInboxMessage } from './inbox';
import type { AcquireOptions, AcquireResult, LockOwner } from './lock';
import { acquireLock, breakLock, readLock } from './lock';
import type { LogSlice, LogWriterOptions } from './logWriter';
import { LogWriter, readLogSlice } from './logWriter';
import { StatePaths } from './paths';
import { isRunId } from './runId';
import { runStateProblem } from './runStateShape';
import { hasCode, StoreError, toStoreError } from './storeError';

/** One entry of `listRuns`: the run's checkpoint, or why it could not be read. */
export type RunListing =
  | { readonly runId: string; readonly state: RunState }
  | { readonly runId: string; readonly error: string };

/** Sub-directories every run gets at creation. */
const RUN_SUBDIRS = ['logs', 'state', 'outputs', 'summary', 'inbox'] as const;

/** Files and directories of runs under one state directory. */
export class RunStore {
  /** The layout, for callers that need a path without touching the disk. */
  readonly paths: StatePaths;

  /** Per active run, the history entry this store last wrote, so an unchanged one is not written again. */
  private readonly writtenEntries = new Map<string, string>();

  constructor(stateDir: string) {
    this.paths = new StatePaths(stateDir);
  }

  /**
   * Creates the directories of a new run. Fails with `EEXIST` if the run
   * directory already exists, so two runs can never share one. The state
   * directory gets a `.gitignore` so runs are not committed by accident.
   */
  async createRun(runId: string): Promise<void> {
    const runDir = this.paths.runDir(runId);
    await this.ensureStateDir();
    await ensureDir(this.paths.runsDir);
    try {
      await fs.mkdir(runDir, { mode: 0o700 });
    } catch (error) {
      if (hasCode(error, 'EEXIST')) {
        throw new StoreError('EEXIST', runDir, `run ${runId} already exists in ${runDir}`);
      }
      throw toStoreError(error, 'creating run directory', runDir);
    }
    await Promise.all(RUN_SUBDIRS.map((name) => ensureDir(path.join(runDir, name))));
    // Make the new directories survive a power cut before anything is written in them.
    await fsyncDir(runDir);
    await fsyncDir(this.paths.runsDir);
  }

  /** Creates the state directory (0700) with a `.gitignore`, if missing. */
  async ensureStateDir(): Promise<void> {
    await ensureDir(this.paths.root);
    const gitignore = path.join(this.paths.root, '.gitignore');
    try {
      await fs.writeFile(gitignore, '# Baton run state: not for version control.\n*\n', {
        flag: 'wx',
        mode: FILE_MODE,
      });
    } catch (error) {
      if (!hasCode(error, 'EEXIST')) throw toStoreError(error, 'writing', gitignore);
    }
  }

  /** Whether a run directory exists. */
  async hasRun(runId: string): Promise<boolean> {
    try {
      return (await fs.stat(this.paths.runDir(runId))).isDirectory();
    } catch (error) {
      if (hasCode(error, 'ENOENT')) return false;
      throw toStoreError(error, 'checking', this.paths.runDir(runId));
    }
  }

  /**
   * Rewrites `run.json` atomically (temp, fsync, rename, fsync dir), and the
   * run's history entry when what it holds changed (its status, mostly). The
   * entry never claims more than `run.json`: an active run's entry is written
   * *before* the checkpoint (so a crash between the two leaves an active
   * entry, which readers check against `run.json`), a stopped run's *after*
   * it (so a stopped entry is only ever one `run.json` already confirms).
   * Resolves with the length of the checkpoint's text (what a writer paces by).
   */
  async writeCheckpoint(runId: string, state: RunState): Promise<number> {
    const file = this.paths.checkpointFile(runId);
    if (state.runId !== runId) {
      throw new StoreError(
        'EBADID',
        file,
        `checkpoint of run ${state.runId} cannot be written to run ${runId}`,
      );
    }
    const entry = storedHistoryEntryOf(state);
    const text = JSON.stringify(entry);
    const changed = this.writtenEntries.get(runId) !== text;
    if (changed && !isFinalEntry(entry)) await this.putHistoryEntry(runId, entry, text);
    // Built a piece at a time while it is written, from the texts of the parts
    // that did not change kept from earlier checkpoints (see checkpointText.ts):
    // the JSON of a 10,000-unit run is 6 MB, and making it in one call held
    // the event loop for tens of ms.
    let chars = 0;
    const pieces = function* (): Generator<string> {
      for (const piece of checkpointPieces(state)) {
        chars += piece.length;
        yield piece;
      }
      chars += 1;
      yield '\n';
    };
    await writeFileAtomic(file, pieces());
    if (changed && isFinalEntry(entry)) {
      await this.putHistoryEntry(runId, entry, text);
      // A stopped run changes again only through a resume, which changes its entry:
      // forgetting it keeps a long-lived server's memory flat in its number of runs.
      this.writtenEntries.delete(runId);
    }
    return chars;
  }

  /** Reads a run's history entry (missing and damaged ones are told, not thrown). */
  readHistoryEntry(runId: string): Promise<HistoryEntryRead> {
    return readHistoryEntry(this.paths.historyFile(runId), runId);
  }

  /**
   * Rebuilds a missing or damaged history entry from a state read from
   * `run.json` (a damaged one is removed first), unless an owner wrote one
   * meanwhile (see `rebuildHistoryEntry` in historyFile.ts).
   */
  async rebuildHistoryEntry(state: RunState, damaged: boolean): Promise<void> {
    await rebuildHistoryEntry(
      this.paths.historyFile(state.runId),
      storedHistoryEntryOf(state),
      damaged,
    );
  }

  /**
   * Writes a run's history entry as its state says, whatever this store
   * wrote before. Only for the run's owner (e.g. recovery holding the owner lock).
   */
  async settleHistoryEntry(state: RunState): Promise<void> {
    const entry = storedHistoryEntryOf(state);
    await this.putHistoryEntry(state.runId, entry, JSON.stringify(entry));
  }

  /**
   * Writes the entry; when that fails the old entry is removed instead (a
   * missing entry makes readers use `run.json`, a stale one would mislead).
   */
  private async putHistoryEntry(runId: string, entry: HistoryEntry, text: string): Promise<void> {
    const file = this.paths.historyFile(runId);
    try {
      await writeHistoryEntry(file, entry);
      this.writtenEntries.set(runId, text);
    } catch (error) {
      this.writtenEntries.delete(runId);
      await removeHistoryEntry(file).catch(() => {
        throw error;
      });
    }
  }

  /**
   * Reads and checks `run.json`. Throws a `StoreError`: `ENOENT` when there
   * is none, `ECORRUPT` (naming the file and the problem) when it is not a
   * `RunState` of this run.
   */
  async readCheckpoint(runId: string): Promise<RunState> {
    const file = this.paths.checkpointFile(runId);
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (error) {
      throw toStoreError(error, 'reading checkpoint', file);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new StoreError('ECORRUPT', file, `checkpoint ${file} is not valid JSON (${why})`);
    }
    const problem = runStateProblem(value, runId);
    if (problem !== undefined) {
      throw new StoreError('ECORRUPT', file, `checkpoint ${file} is not a run state: ${problem}`);
    }
    return value as RunState;
  }

  /** Run ids in the state directory, newest first. Names that are not run ids are ignored. */
  async listRunIds(): Promise<string[]> {
    try {
      const names = await fs.readdir(this.paths.runsDir);
      return names.filter(isRunId).sort().reverse();
    } catch (error) {
      if (hasCode(error, 'ENOENT')) return [];
      throw toStoreError(error, 'listing runs in', this.paths.runsDir);
    }
  }

  /**
   * Runs newest first, with their checkpoints. Checkpoints are read one at a
   * time and only until `limit` runs (of `pipelineId`, when given) are found.
   * Unreadable checkpoints are listed with their error, except when filtering
   * by pipeline (their pipeline is unknown).
   */
  async listRuns(
    options: { readonly pipelineId?: string; readonly limit?: number } = {},
  ): Promise<RunListing[]> {
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    const listings: RunListing[] = [];
    for (const runId of await this.listRunIds()) {
      if (listings.length >= limit) break;
      try {
        const state = await this.readCheckpoint(runId);
        if (options.pipelineId === undefined || state.pipeline.id === options.pipelineId) {
          listings.push({ runId, state });
        }
      } catch (error) {
        if (options.pipelineId === undefined) {
          listings.push({ runId, error: error instanceof Error ? error.message : String(error) });
        }
      }
    }
    return listings;
  }

  /** Opens the run's event log for appending (a torn tail from a crash is cut first). */
  async openEventLog(runId: string, options: EventLogWriterOptions = {}): Promise<EventLogWriter> {
    return EventLogWriter.open(this.paths.eventLogFile(runId), options);
  }

  /** Reads the run's events after `afterSeq` (see `readEventLog`). */
  async readEvents(runId: string, afterSeq = 0): Promise<EventLogContents> {
    return readEventLog(this.paths.eventLogFile(runId), afterSeq);
  }

  /** Opens the raw output log of a stage attempt for appending. */
  async openStageLog(
    runId: string,
    stage: string,
    attempt: number,
    options: LogWriterOptions = {},
  ): Promise<LogWriter> {
    return LogWriter.open(this.paths.stageLogFile(runId, stage, attempt), options);
  }

  /** Opens the run's own log (`run.log`) for appending. */
  async openRunLog(runId: string, options: LogWriterOptions = {}): Promise<LogWriter> {
    return LogWriter.open(this.paths.runLogFile(runId), options);
  }

  /** Reads up to `limit` bytes of a stage attempt's log from `offset`. */
  async readLog(
    runId: string,
    stage: string,
    attempt: number,
    offset = 0,
    limit = 64 * 1024,
  ): Promise<LogSlice> {
    return readLogSlice(this.paths.stageLogFile(runId, stage, attempt), offset, limit);
  }

  /** Creates (if needed) and returns the stage's `$BATON_STATE` directory. */
  async stageStateDir(runId: string, stage: string): Promise<string> {
    const dir = this.paths.stageStateDir(runId, stage);
    await ensureDir(dir);
    return dir;
  }

  /** Creates (empty, 0600, if missing) and returns the attempt's `$BATON_OUTPUT` file. */
  async stageOutputFile(runId: string, stage: string, attempt: number): Promise<string> {
    const file = this.paths.stageOutputFile(runId, stage, attempt);
    await touchFile(file);
    return file;
  }

  /** Creates (empty, 0600, if missing) and returns the stage's `$BATON_SUMMARY` file. */
  async stageSummaryFile(runId: string, stage: string): Promise<string> {
    const file = this.paths.stageSummaryFile(runId, stage);
    await touchFile(file);
    return file;
  }

  /** Drops a request for the run's owner into its inbox; returns the message's name. */
  async writeInboxMessage(runId: string, message: InboxMessage): Promise<string> {
    return writeInboxMessage(this.paths.inboxDir(runId), message);
  }

  /** Lists the run's pending inbox messages, oldest first. */
  async readInbox(runId: string): Promise<{ entries: InboxEntry[]; problems: InboxProblem[] }> {
    return readInbox(this.paths.inboxDir(runId));
  }

  /** Deletes a handled inbox message. */
  async consumeInboxMessage(runId: string, name: string): Promise<void> {
    return consumeInboxMessage(this.paths.inboxDir(runId), name);
  }

  /**
   * Takes ownership of a run (`owner.json`, same self-healing lock as
   * pipelines). `reclaimedFrom` in the result means the previous owner died:
   * the run was interrupted.
   */
  async acquireRunOwner(runId: string, options: AcquireOptions = {}): Promise<AcquireResult> {
    return acquireLock(this.paths.ownerFile(runId), { ...options, runId });
  }

  /** The recorded owner of a run, or undefined when nobody owns it. */
  async readRunOwner(runId: string): Promise<LockOwner | undefined> {
    return readLock(this.paths.ownerFile(runId));
  }

  /** Takes the one-run-at-a-time lock of a pipeline for `runId`. */
  async acquirePipelineLock(
    pipelineId: string,
    runId: string,
    options: AcquireOptions = {},
  ): Promise<AcquireResult> {
    return acquireLock(this.paths.pipelineLockFile(pipelineId), { ...options, runId });
  }

  /** The holder of a pipeline's lock, or undefined when it is free. */
  async readPipelineLock(pipelineId: string): Promise<LockOwner | undefined> {
    return readLock(this.paths.pipelineLockFile(pipelineId));
  }

  /** Removes a pipeline's lock whoever holds it (`baton unlock`). */
  async breakPipelineLock(pipelineId: string): Promise<{ removed: boolean; owner?: LockOwner }> {
    return breakLock(this.paths.pipelineLockFile(pipelineId));
  }
}

/** Creates an empty owner-only file if it does not exist; leaves an existing one alone. */
async function touchFile(file: string): Promise<void> {
  await ensureDir(path.dirname(file));
  try {
    const handle = await fs.open(file, 'a', FILE_MODE);
    await handle.close();
  } catch (error) {
    throw toStoreError(error, 'creating', file);
  }
}
