/**
 * Durations as written in pipeline files: `500ms`, `30s`, `5m`, `1h`,
 * `1h30m`, `1.5s`. Units go from largest to smallest, each at most once.
 */

/** One part of a duration, e.g. `30m`. Units in the order they must appear. */
const UNITS: readonly (readonly [unit: string, ms: number])[] = [
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
];

/** The shape of a duration, shared with the JSON Schema so editors flag the same mistakes. */
export const DURATION_PATTERN =
  '^(?=[0-9])([0-9]+(\\.[0-9]+)?h)?([0-9]+(\\.[0-9]+)?m(?!s))?([0-9]+(\\.[0-9]+)?s)?([0-9]+(\\.[0-9]+)?ms)?$';

const DURATION_REGEX = new RegExp(DURATION_PATTERN);

/**
 * Parses a duration into whole milliseconds (fractions round to the nearest
 * millisecond). Surrounding spaces are ignored. Returns undefined for
 * anything else, including a bare number without a unit.
 */
export function parseDuration(text: string): number | undefined {
  if (typeof text !== 'string' || text.length > 100) return undefined;
  const trimmed = text.trim();
  // The pattern's look-ahead wants a digit first, so it refuses the empty text too.
  const match = DURATION_REGEX.exec(trimmed);
  if (match === null) return undefined;
  let total = 0;
  UNITS.forEach(([, ms], index) => {
    // Capture groups come in pairs (part, fraction): part n is group 1 + 2n.
    const part = match[1 + index * 2];
    if (part !== undefined) total += parseFloat(part) * ms;
  });
  const rounded = Math.round(total);
  return Number.isSafeInteger(rounded) ? rounded : undefined;
}

/**
 * Formats milliseconds the way they are written in a pipeline file, exactly
 * (`90_000` → `1m30s`, `1_500` → `1s500ms`, `0` → `0ms`), so the result
 * parses back to the same value. Negative or non-finite input formats as `0ms`.
 */
export function formatDuration(ms: number): string {
  // Below 1 every count is 0 or negative, so nothing is written and the result is `0ms`.
  if (!Number.isFinite(ms)) return '0ms';
  let rest = Math.round(ms);
  let out = '';
  for (const [unit, size] of UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      out += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return out === '' ? '0ms' : out;
}
