/**
 * Run ids: `YYYYMMDD-HHMMSS-mmm-xxxx` in UTC, e.g. `20261121-110616-123-k3f9`.
 * They sort by start time as plain strings (so a directory listing sorted by
 * name is a listing by age) and carry four base-36 random characters so two
 * runs started in the same millisecond still get distinct ids.
 */

/** The shape every run id has; `paths.ts` refuses anything else before building a path. */
export const RUN_ID_PATTERN = /^[0-9]{8}-[0-9]{6}-[0-9]{3}-[a-z0-9]{4}$/;

const SUFFIX_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/**
 * Makes a run id for a run started at `nowMs` (epoch milliseconds).
 * `random` returns numbers in [0, 1); it is a parameter so tests are repeatable.
 */
export function newRunId(nowMs: number, random: () => number = Math.random): string {
  if (!Number.isFinite(nowMs) || nowMs < 0) {
    throw new RangeError(`newRunId: invalid time ${String(nowMs)}`);
  }
  const date = new Date(nowMs);
  const day = `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1, 2)}${pad(date.getUTCDate(), 2)}`;
  const time = `${pad(date.getUTCHours(), 2)}${pad(date.getUTCMinutes(), 2)}${pad(date.getUTCSeconds(), 2)}`;
  let suffix = '';
  for (let i = 0; i < 4; i++) {
    const index = Math.min(
      SUFFIX_ALPHABET.length - 1,
      Math.floor(random() * SUFFIX_ALPHABET.length),
    );
    suffix += SUFFIX_ALPHABET[Math.max(0, index)];
  }
  return `${day}-${time}-${pad(date.getUTCMilliseconds(), 3)}-${suffix}`;
}

/** Whether `value` has the shape of a run id. */
export function isRunId(value: unknown): value is string {
  return typeof value === 'string' && RUN_ID_PATTERN.test(value);
}

/** The start time (epoch ms) encoded in a run id, or undefined when it is not a valid id. */
export function runIdTime(runId: string): number | undefined {
  if (!isRunId(runId)) {
    return undefined;
  }
  const [day = '', time = '', millis = ''] = runId.split('-');
  const ms = Date.UTC(
    Number(day.slice(0, 4)),
    Number(day.slice(4, 6)) - 1,
    Number(day.slice(6, 8)),
    Number(time.slice(0, 2)),
    Number(time.slice(2, 4)),
    Number(time.slice(4, 6)),
    Number(millis),
  );
  return Number.isNaN(ms) ? undefined : ms;
}
