/** Options of {@link waitFor}. */
export interface WaitOptions {
  /** What is awaited, for the error message ("tree row 'build'"). */
  readonly what: string;
  /** Give up after this many milliseconds. */
  readonly timeoutMs: number;
  /** Time between checks of the predicate. */
  readonly intervalMs?: number;
}

/**
 * Checks `probe` until it returns a value other than `undefined`/`false`,
 * and returns that value. Fails with `timed out after N ms waiting for <what>`
 * (plus the last error the probe threw) when the deadline passes.
 */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  options: WaitOptions,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(
        `timed out after ${options.timeoutMs} ms waiting for ${options.what}${cause}`,
      );
    }
    await delay(options.intervalMs ?? 100);
  }
}

/**
 * Settles like `promise`, or rejects with `timed out after N ms: <what>` if it
 * has not settled by then. The timer never keeps the process alive.
 */
export function withDeadline<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${timeoutMs} ms: ${what}`)),
      timeoutMs,
    );
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Reads a duration in milliseconds from the environment, or returns `fallback`. */
export function durationFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${name}=${raw} is not a positive number of milliseconds`);
  }
  return value;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
