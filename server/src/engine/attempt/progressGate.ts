import type { Progress } from '@baton/core';
import type { Clock } from '../clock';

/**
 * Lets at most one progress report through per `intervalMs`; the latest report
 * in between is delivered when the interval ends, so the final value always
 * arrives and a stage printing thousands of progress lines costs a few events.
 */
export class ProgressGate {
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private pending: Progress | undefined;
  private cancelTimer: (() => void) | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly send: (progress: Progress) => void,
  ) {}

  /** Offers a report. */
  offer(progress: Progress): void {
    const now = this.clock.now();
    if (now - this.lastSentAt >= this.intervalMs && this.cancelTimer === undefined) {
      this.lastSentAt = now;
      this.send(progress);
      return;
    }
    this.pending = progress;
    this.cancelTimer ??= this.clock.schedule(this.lastSentAt + this.intervalMs - now, () => {
      this.cancelTimer = undefined;
      this.flush();
    });
  }

  /** Sends a held-back report now (the attempt is ending). */
  flush(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    const pending = this.pending;
    this.pending = undefined;
    if (pending) {
      this.lastSentAt = this.clock.now();
      this.send(pending);
    }
  }

  /** Drops a held-back report. */
  dispose(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.pending = undefined;
  }
}
