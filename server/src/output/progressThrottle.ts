/**
 * Limits how often progress is passed on (by default at most 10 updates a
 * second per stage) so a program redrawing a bar thousands of times a second
 * cannot flood the event log, the wire or the editor. The first update goes
 * out at once (leading edge); updates within the interval are collapsed and
 * the last of them is delivered when the interval ends (trailing edge), so the
 * final value is never lost.
 */

/** The clock and timers the throttle uses; tests pass a simulated one. */
export interface ThrottleScheduler {
  now(): number;
  setTimer(callback: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
}

/** The real clock and timers. Timers are unref'd: a pending update never keeps the process alive. */
export const systemScheduler: ThrottleScheduler = {
  now: () => Date.now(),
  setTimer: (callback, delayMs) => setTimeout(callback, delayMs).unref(),
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Default shortest time between two deliveries. */
export const DEFAULT_PROGRESS_INTERVAL_MS = 100;

/** The throttle; see the module comment. */
export class ProgressThrottle<T> {
  private lastDeliveredAt = -Infinity;
  private pending: { readonly value: T } | undefined;
  private timer: unknown;
  private readonly intervalMs: number;
  private readonly scheduler: ThrottleScheduler;

  constructor(
    private readonly deliver: (value: T) => void,
    options: { readonly intervalMs?: number; readonly scheduler?: ThrottleScheduler } = {},
  ) {
    this.intervalMs = options.intervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
    this.scheduler = options.scheduler ?? systemScheduler;
  }

  /** Offers a new value: delivered now, or later as the latest of its interval. */
  push(value: T): void {
    const now = this.scheduler.now();
    if (this.timer === undefined && now - this.lastDeliveredAt >= this.intervalMs) {
      this.send(value, now);
      return;
    }
    this.pending = { value };
    if (this.timer === undefined) {
      const wait = Math.max(0, this.lastDeliveredAt + this.intervalMs - now);
      this.timer = this.scheduler.setTimer(() => this.onTimer(), wait);
    }
  }

  /** Delivers a pending value now (for example when the stage exits). */
  flush(): void {
    this.cancelTimer();
    const pending = this.pending;
    if (pending) this.send(pending.value, this.scheduler.now());
  }

  /** Drops a pending value and stops the timer. */
  dispose(): void {
    this.cancelTimer();
    this.pending = undefined;
  }

  private onTimer(): void {
    this.timer = undefined;
    const pending = this.pending;
    if (pending) this.send(pending.value, this.scheduler.now());
  }

  private send(value: T, now: number): void {
    this.pending = undefined;
    this.lastDeliveredAt = now;
    this.deliver(value);
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.scheduler.clearTimer(this.timer);
    this.timer = undefined;
  }
}
