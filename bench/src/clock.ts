import { performance } from 'node:perf_hooks';

/**
 * Epoch milliseconds with sub-millisecond resolution. Stage scripts print the
 * same expression, so a time stamped in a stage and one read here share a
 * clock (the system clock, read through each process's monotonic timer).
 */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

/** The same clock as source text, for the generated Node stage scripts. */
export const PRECISE_NOW_SOURCE =
  "(require('node:perf_hooks').performance.timeOrigin + require('node:perf_hooks').performance.now())";
