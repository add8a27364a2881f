import { DEFAULT_LIVE_LOG_BYTES_PER_SECOND } from '@baton/protocol';

/** How much live log one client gets: a rate, the burst it may save up, and a floor per stream. */
export interface LiveLogLimits {
  /** Bytes of log text per second sent to the client, across every stage. */
  readonly bytesPerSecond: number;
  /** Bytes the budget saves up while output is quiet: a burst up to this size goes out whole. */
  readonly burstBytes: number;
  /**
   * Bytes of its newest text every stream with output gets in each send, even
   * with the budget spent, so the client always sees where each log is.
   */
  readonly minShareBytes: number;
}

/**
 * The limits for a rate (`initializationOptions.liveLogBytesPerSecond`): a
 * burst of two seconds' worth, and a floor of 2 KiB (a few dozen lines) per
 * stage and send. The default rate is far more than anyone reads live (an
 * editor's output view chokes well below a megabyte per second) and far less
 * than stages can print; the rest of a flood stays in the log file for
 * `baton/getLog`.
 */
export function liveLogLimits(bytesPerSecond = DEFAULT_LIVE_LOG_BYTES_PER_SECOND): LiveLogLimits {
  return { bytesPerSecond, burstBytes: 2 * bytesPerSecond, minShareBytes: 2 * 1024 };
}

/**
 * A token bucket for the live log of one connection. It refills at
 * `bytesPerSecond` up to `burstBytes`; each send splits what is left fairly
 * among the streams that have output, so one flooding stage cannot crowd out
 * the others' lines.
 */
export class LiveLogBudget {
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly limits: LiveLogLimits,
    private readonly now: () => number,
  ) {
    this.tokens = limits.burstBytes;
    this.refilledAt = now();
  }

  /**
   * How many bytes each stream may send now, given how many it has waiting
   * (`wanted`, same order). Streams wanting less than an equal part get all
   * of it and leave the rest to the others (water-filling); none gets less
   * than `minShareBytes` of what it has.
   */
  shares(wanted: readonly number[]): number[] {
    this.refill();
    const order = wanted
      .map((_, index) => index)
      .sort((a, b) => (wanted[a] ?? 0) - (wanted[b] ?? 0));
    const shares = new Array<number>(wanted.length).fill(0);
    let available = Math.max(0, this.tokens);
    order.forEach((index, rank) => {
      const want = wanted[index] ?? 0;
      const fair = Math.max(this.limits.minShareBytes, available / (order.length - rank));
      const share = Math.min(want, Math.floor(fair));
      shares[index] = share;
      available = Math.max(0, available - share);
    });
    return shares;
  }

  /**
   * The most one stream could be given in a send within `withinMs` from now:
   * what is left plus what that time earns, and never less than the floor.
   */
  affordable(withinMs: number): number {
    this.refill();
    const earned = (withinMs * this.limits.bytesPerSecond) / 1000;
    return Math.max(this.limits.minShareBytes, Math.max(0, this.tokens) + earned);
  }

  /** Records bytes sent; the budget may go below zero (the floor), and then refills from there. */
  spend(bytes: number): void {
    this.tokens -= bytes;
  }

  private refill(): void {
    const now = this.now();
    const earned = ((now - this.refilledAt) * this.limits.bytesPerSecond) / 1000;
    this.tokens = Math.min(this.limits.burstBytes, this.tokens + Math.max(0, earned));
    this.refilledAt = now;
  }
}
