import type { RunState } from '@baton/core';
import { isStoppedRunStatus } from '@baton/core';
import { statSync } from 'node:fs';
import { RecentlyUsed } from '../../cache/recentlyUsed';
import { statKeyOf } from '../../incremental/statKey';
import type { RunStore } from '../../store/runStore';
import type { EngineEvents } from '../engineEvents';
import type { TypedEmitter } from '../typedEmitter';
import { loadRunState } from './runRecovery';

/** Runs whose loaded state is kept: the few a client looks at once they ended. */
const KEPT_RUNS = 2;

interface Kept {
  /** The run's files when the state was read (see `filesVersion`). */
  readonly version: string;
  readonly state: RunState;
}

/**
 * The states of runs nobody runs in this process, as `loadRunState` reads
 * them, kept for the last few runs while their files stay as they were. A
 * client polling a run that just ended (a tree refreshing) made the server
 * read and parse its whole `run.json` on every request: 6 MB at 10,000
 * units, about 100 ms each. Whether the files changed is told by two `stat`s
 * (size, time and inode of `run.json` and of the event log), so a run that
 * another process resumed is read again. A run that ends in this process is
 * kept as it ended, without a read: its last `runChanged` (the only one with
 * a stopped status) is told once its files are written and its locks let go.
 */
export class LoadedRunStates {
  private readonly kept = new RecentlyUsed<string, Kept>(KEPT_RUNS);

  constructor(
    private readonly store: RunStore,
    emitter: TypedEmitter<EngineEvents>,
  ) {
    emitter.on('runChanged', ({ state }) => {
      if (isStoppedRunStatus(state.status)) this.remember(state);
    });
  }

  /** The run's state from its files, or the one kept while they did not change. */
  async load(runId: string): Promise<RunState> {
    // Taken before the read: files changing during it make the next version differ.
    const version = this.filesVersion(runId);
    const kept = this.kept.get(runId);
    if (kept !== undefined && version !== undefined && kept.version === version) {
      return kept.state;
    }
    const state = await loadRunState(this.store, runId);
    if (version !== undefined) this.kept.set(runId, { version, state });
    return state;
  }

  /** Keeps `state` as the run's state as its files are now (they were written last by this process). */
  private remember(state: RunState): void {
    const version = this.filesVersion(state.runId);
    if (version !== undefined) this.kept.set(state.runId, { version, state });
  }

  /** The stat keys of `run.json` and the event log (see `statKeyOf`); undefined if unreadable. */
  private filesVersion(runId: string): string | undefined {
    try {
      return [this.store.paths.checkpointFile(runId), this.store.paths.eventLogFile(runId)]
        .map((file) => statKeyOf(statSync(file)))
        .join('|');
    } catch {
      return undefined;
    }
  }
}
