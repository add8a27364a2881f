/**
 * Waiting helpers for tests: poll a predicate or await a promise with a
 * deadline, failing with a message that says what never happened. Tests use
 * these instead of fixed sleeps.
 */
import { setTimeout as delay } from 'node:timers/promises';

/** Options for `waitFor`. */
export interface WaitForOptions {
  /** Give up after this long. Default 10 000 ms. */
  readonly timeoutMs?: number;
  /** Poll this often. Default 10 ms. */
  readonly intervalMs?: number;
}

/**
 * Polls `probe` until it returns a value other than `undefined`, `false` or
 * `null` and returns that value; rejects naming `what` after the deadline.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  options: WaitForOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 10;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() >= deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(intervalMs);
  }
}

/** Awaits `promise`, rejecting naming `what` when it has not settled within `timeoutMs`. */
export async function withDeadline<T>(
  what: string,
  promise: Promise<T>,
  timeoutMs = 10_000,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
