import type { LoggedEvent, RunState } from '@baton/core';
import type { EventLogWriter } from '../../store/eventLog';
import type { RunStore } from '../../store/runStore';
import type { RunRecorder } from './runRecorder';

/** Least time between two checkpoint writes of one run (each costs two fsyncs). */
const DEFAULT_CHECKPOINT_INTERVAL_MS = 200;
/**
 * Checkpoint text a run may write per millisecond at most (2 MB a second): a
 * large run's `run.json` is built and written less often, since building it
 * holds the event loop (6 MB at 10,000 units, written five times a second,
 * kept requests and notifications waiting). The events are logged first in
 * any case, so a rarer checkpoint only means more events to replay after a crash.
 */
const CHECKPOINT_CHARS_PER_MS = 2_000;

/**
 * Records a run in the store: events go to the batched event-log writer;
 * checkpoints are written one at a time, at most one per interval, and only
 * the newest pending state is kept. That is safe because `run.json` is a
 * summary: after a crash the events logged after it are replayed on top of it
 * (see `loadRunState`). `flush` writes a pending checkpoint at once.
 */
export class StoreRecorder implements RunRecorder {
  private pendingState: RunState | undefined;
  private writing: Promise<void> | undefined;
  private closed = false;
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  /** The wait after the last write: the interval, longer after a large checkpoint. */
  private nextIntervalMs: number;
  private urgent = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly store: RunStore,
    private readonly events: EventLogWriter,
    private readonly onError: (message: string) => void,
    private readonly intervalMs = DEFAULT_CHECKPOINT_INTERVAL_MS,
  ) {
    this.nextIntervalMs = intervalMs;
  }

  appendEvent(event: LoggedEvent): void {
    if (!this.closed) this.events.append(event);
  }

  eventsWritten(): Promise<void> {
    return this.events.flush();
  }

  writeCheckpoint(state: RunState): void {
    this.pendingState = state;
    this.writing ??= this.writeLoop();
  }

  async flush(): Promise<void> {
    this.urgent = true;
    this.wake?.();
    try {
      await Promise.all([
        this.events.flush().catch((error: unknown) => this.onError(`event log: ${String(error)}`)),
        this.writing,
      ]);
    } finally {
      this.urgent = false;
    }
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
    for (;;) {
      await this.waitForInterval();
      const state = this.pendingState;
      this.pendingState = undefined;
      if (!state) break;
      try {
        // The event log goes first: a checkpoint must never be ahead of the events it summarises.
        await this.events.flush();
        const chars = await this.store.writeCheckpoint(state.runId, state);
        this.nextIntervalMs = Math.max(this.intervalMs, chars / CHECKPOINT_CHARS_PER_MS);
      } catch (error) {
        this.onError(`checkpoint of run ${state.runId}: ${String(error)}`);
      }
      this.lastWriteAt = Date.now();
    }
    this.writing = undefined;
  }

  private async waitForInterval(): Promise<void> {
    const wait = this.lastWriteAt + this.nextIntervalMs - Date.now();
    if (wait <= 0 || this.urgent) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, wait);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = undefined;
  }
}
