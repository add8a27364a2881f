import type { LoggedEvent, RunState } from '@baton/core';
import type { EventLogWriter } from '../store/eventLog';
import type { RunStore } from '../store/runStore';
import type { RunRecorder } from './runRecorder';

/**
 * Records a run in the store: events go to the batched event-log writer;
 * checkpoints are written one at a time, and while one is being written only
 * the newest pending state is kept, so a burst of `persist` effects costs at
 * most two writes.
 */
export class StoreRecorder implements RunRecorder {
  private pendingState: RunState | undefined;
  private writing: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly store: RunStore,
    private readonly events: EventLogWriter,
    private readonly onError: (message: string) => void,
  ) {}

  appendEvent(event: LoggedEvent): void {
    if (!this.closed) this.events.append(event);
  }

  writeCheckpoint(state: RunState): void {
    this.pendingState = state;
    this.writing ??= this.writeLoop();
  }

  async flush(): Promise<void> {
    await Promise.all([
      this.events.flush().catch((error: unknown) => this.onError(`event log: ${String(error)}`)),
      this.writing,
    ]);
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.closed) return;
    this.closed = true;
    await this.events
      .close()
      .catch((error: unknown) => this.onError(`event log: ${String(error)}`));
  }

  private async writeLoop(): Promise<void> {
    // The event log goes first: a checkpoint must never be ahead of the events it summarises.
    for (let state = this.take(); state; state = this.take()) {
      try {
        await this.events.flush();
        await this.store.writeCheckpoint(state.runId, state);
      } catch (error) {
        this.onError(`checkpoint of run ${state.runId}: ${String(error)}`);
      }
    }
    this.writing = undefined;
  }

  private take(): RunState | undefined {
    const state = this.pendingState;
    this.pendingState = undefined;
    return state;
  }
}
