import type { LoggedEvent, RunState } from '@baton/core';

/**
 * Where a run controller records what happens: the event log and the
 * checkpoint. Writes are asynchronous and ordered; `flush` resolves once every
 * earlier write is on disk (or has failed and been reported).
 */
export interface RunRecorder {
  /** Appends one event (masked already) to `events.jsonl`. */
  appendEvent(event: LoggedEvent): void;
  /** Rewrites `run.json` atomically with `state`; later calls supersede earlier pending ones. */
  writeCheckpoint(state: RunState): void;
  /**
   * Resolves once every event appended so far was handed to the OS (written,
   * not necessarily fsynced); rejects when that failed.
   */
  eventsWritten(): Promise<void>;
  /** Resolves when every write asked for so far has finished. */
  flush(): Promise<void>;
  /** Flushes and closes the event log. */
  close(): Promise<void>;
}
