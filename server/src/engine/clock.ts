/**
 * The engine's only source of time. Production uses `systemClock`; tests may
 * pass a clock whose `now` is shifted, while real timers still drive it.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Calls `callback` after `delayMs` (clamped to 0); returns a cancel function. */
  schedule(delayMs: number, callback: () => void): () => void;
}

/** Wall-clock time and Node timers. Timers are unref'd: they never keep the process alive on their own. */
export const systemClock: Clock = {
  now: () => Date.now(),
  schedule(delayMs, callback) {
    const handle = setTimeout(callback, Math.max(0, delayMs));
    handle.unref();
    return () => clearTimeout(handle);
  },
};
