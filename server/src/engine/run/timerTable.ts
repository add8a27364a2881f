import type { Clock } from '../clock';

/**
 * Timers keyed by a string (the core's `timerKey(timer)`): starting a key that
 * is already running restarts it, cancelling an unknown key is a no-op, and a
 * fired timer forgets itself before its callback runs.
 */
export class TimerTable {
  private readonly cancels = new Map<string, () => void>();

  constructor(private readonly clock: Clock) {}

  /** Starts (or restarts) timer `key` to fire at epoch ms `at`. */
  start(key: string, at: number, onFire: () => void): void {
    this.cancel(key);
    const cancel = this.clock.schedule(at - this.clock.now(), () => {
      this.cancels.delete(key);
      onFire();
    });
    this.cancels.set(key, cancel);
  }

  /** Stops timer `key` if it is running. */
  cancel(key: string): void {
    const cancel = this.cancels.get(key);
    if (cancel) {
      this.cancels.delete(key);
      cancel();
    }
  }

  /** Stops every timer. */
  clear(): void {
    for (const cancel of this.cancels.values()) {
      cancel();
    }
    this.cancels.clear();
  }

  /** How many timers are running. */
  get size(): number {
    return this.cancels.size;
  }
}
