import { CronExpressionParser } from 'cron-parser';

/**
 * `@daily` and friends (any case), and how cron-parser spells each: it reads
 * only lower case and knows no `@midnight`, which is `@daily`.
 */
const PRESETS: ReadonlyMap<string, string> = new Map([
  ['@yearly', '@yearly'],
  ['@annually', '@annually'],
  ['@monthly', '@monthly'],
  ['@weekly', '@weekly'],
  ['@daily', '@daily'],
  ['@midnight', '@daily'],
  ['@hourly', '@hourly'],
  ['@minutely', '@minutely'],
  ['@secondly', '@secondly'],
  ['@weekdays', '@weekdays'],
  ['@weekends', '@weekends'],
]);

/**
 * Says what is wrong with a cron expression, or undefined when it is valid.
 * Accepts five fields (minute hour day month weekday), six (with seconds
 * first) or a preset such as `@daily`; rejects expressions that can never fire.
 */
export function cronProblem(cron: string, timezone?: string): string | undefined {
  const shape = shapeProblem(cron, timezone);
  if (shape !== undefined) return shape;
  try {
    const next = nextAfter(cron.trim(), 0, timezone);
    return next === undefined ? 'this schedule never fires' : undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * The first time (epoch ms) strictly after `afterMs` at which `cron` fires,
 * read in `timezone` (IANA name; UTC when omitted). Undefined when the
 * expression or time zone is invalid or the schedule never fires. `H` fields
 * are hashed from the expression itself, so the result is deterministic.
 */
export function nextCronTime(cron: string, afterMs: number, timezone?: string): number | undefined {
  try {
    if (shapeProblem(cron, timezone) !== undefined) return undefined;
    return nextAfter(cron.trim(), afterMs, timezone);
  } catch {
    return undefined;
  }
}

/** Problems cron-parser would accept silently: it reads `""` and `* * *` as "every minute". */
function shapeProblem(cron: string, timezone: string | undefined): string | undefined {
  const trimmed = typeof cron === 'string' ? cron.trim() : '';
  if (trimmed === '') return 'the cron expression is empty';
  if (timezone !== undefined && !isTimeZone(timezone))
    return `"${timezone}" is not a known time zone`;
  if (PRESETS.has(trimmed.toLowerCase())) return undefined;
  const fields = trimmed.split(/\s+/).length;
  if (fields === 5 || fields === 6) return undefined;
  return `a cron expression has 5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first; this one has ${fields}`;
}

function nextAfter(
  cron: string,
  afterMs: number,
  timezone: string | undefined,
): number | undefined {
  if (!Number.isFinite(afterMs)) return undefined;
  const expression = CronExpressionParser.parse(PRESETS.get(cron.toLowerCase()) ?? cron, {
    currentDate: afterMs,
    tz: timezone ?? 'UTC',
    hashSeed: cron,
  });
  if (!expression.hasNext()) return undefined;
  return expression.next().getTime();
}

/** True when `name` is an IANA time zone the runtime knows. */
export function isTimeZone(name: string): boolean {
  // Intl refuses an empty or blank name, and any name with spaces around it.
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
