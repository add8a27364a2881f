import type { RunSummary } from '@baton/protocol';
import { formatDuration } from './format';

/** The summary fields that say how long a run ran. */
export type RunTimes = Pick<
  RunSummary,
  'startedAt' | 'endedAt' | 'resumedAt' | 'resumes' | 'earlierRanMs'
>;

/**
 * How long a run ran, in ms: its earlier goes plus the current one (to `now`
 * while it runs). The time it sat failed or interrupted before a resume is not
 * run time. Undefined before it started.
 */
export function ranMs(run: RunTimes, now: number): number | undefined {
  const goStart = run.resumedAt ?? run.startedAt;
  if (goStart === undefined) return undefined;
  return (run.earlierRanMs ?? 0) + Math.max(0, (run.endedAt ?? now) - goStart);
}

/** How many goes a run had: 1, plus one per resume. */
export function runGoes(run: RunTimes): number {
  return 1 + (run.resumes ?? 0);
}

/**
 * `ran 2s`, or `ran 2s in 2 attempts` for a resumed run; undefined before the
 * run started. While the run is under way (`endedAt` absent) nothing is said:
 * the row is not redrawn every second, so a growing number would lie.
 */
export function ranText(run: RunTimes, now: number): string | undefined {
  const ran = ranMs(run, now);
  if (ran === undefined || run.endedAt === undefined) return undefined;
  const goes = runGoes(run);
  return goes > 1 ? `ran ${formatDuration(ran)} in ${goes} attempts` : `ran ${formatDuration(ran)}`;
}
