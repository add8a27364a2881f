/** How often live-log messages may go to one client. */
export interface MessagePacing {
  /** Once the allowance is spent, the shortest time between two sends (ms). */
  readonly intervalMs: number;
  /** Messages that may go out at once after a quiet spell, ahead of the interval. */
  readonly burstMessages: number;
  /** How fast that allowance comes back (messages per second). */
  readonly messagesPerSecond: number;
}

/**
 * The default pacing: a send at most every 50 ms for sustained output, and
 * ten messages at once, refilled at forty a second, for sparse output. A
 * stage that prints a line every 25 ms or less often never waits; a flood
 * costs the client one message per stage per 50 ms, as before the allowance
 * existed, because the sends of a flood spend it all.
 */
export const DEFAULT_MESSAGE_PACING: MessagePacing = {
  intervalMs: 50,
  burstMessages: 10,
  messagesPerSecond: 40,
};

const EPSILON = 1e-6;

/**
 * Decides when the next send of gathered output may go out: at once while an
 * allowance of messages (a token bucket) covers it, else once the interval
 * since the last send has passed. Every send spends the allowance, down to
 * zero, whichever rule let it out; so over a stretch of time the messages
 * sent number about the larger of what the allowance earns and one per
 * stream and interval, plus one burst (never more than their sum).
 */
export class MessagePacer {
  private tokens: number;
  private refilledAt: number;
  private lastSendAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly pacing: MessagePacing,
    private readonly now: () => number,
  ) {
    this.tokens = pacing.burstMessages;
    this.refilledAt = now();
  }

  /** Milliseconds from now until a send of `messages` messages may go out; 0: now. */
  delayFor(messages: number): number {
    this.refill();
    const byInterval = this.lastSendAt + this.pacing.intervalMs - this.now();
    // The epsilon absorbs rounding in the refill, so a timer set for a token is not set twice.
    if (byInterval <= 0 || this.tokens >= messages - EPSILON) return 0;
    if (messages > this.pacing.burstMessages || this.pacing.messagesPerSecond <= 0) {
      return byInterval;
    }
    const byAllowance = ((messages - this.tokens) * 1000) / this.pacing.messagesPerSecond;
    return Math.min(byInterval, byAllowance);
  }

  /** Records a send of `messages` messages, whether or not {@link delayFor} allowed it. */
  sent(messages: number): void {
    this.refill();
    this.tokens = Math.max(0, this.tokens - messages);
    this.lastSendAt = this.now();
  }

  private refill(): void {
    const now = this.now();
    const earned = ((now - this.refilledAt) * this.pacing.messagesPerSecond) / 1000;
    this.tokens = Math.min(this.pacing.burstMessages, this.tokens + Math.max(0, earned));
    this.refilledAt = now;
  }
}
