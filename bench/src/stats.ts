/**
 * The statistics every figure of the benchmarks is built from: percentiles of
 * a sample and the median/min/max summary of repeated measurements.
 */

/** A repeated measurement summarised: the median with the range around it. */
export interface Figure {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** How many repetitions the figure summarises. */
  readonly n: number;
}

/** A latency distribution: the points a box chart and a table need. */
export interface Distribution {
  readonly count: number;
  readonly min: number;
  readonly p25: number;
  readonly p50: number;
  readonly p75: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

function assertSample(values: readonly number[], what: string): void {
  if (values.length === 0) throw new RangeError(`${what} of an empty sample`);
  for (const value of values) {
    if (!Number.isFinite(value)) throw new RangeError(`${what}: ${value} is not a finite number`);
  }
}

/**
 * The `p`-th percentile (0–100) of `values`, interpolating linearly between
 * the two nearest ranks (the usual "type 7" definition), so the 50th
 * percentile of an even-sized sample is the mean of its two middle values.
 * Throws a RangeError for an empty sample, a non-finite value or `p` outside 0–100.
 */
export function percentile(values: readonly number[], p: number): number {
  assertSample(values, 'percentile');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile: p must be in 0–100, got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  return percentileOfSorted(sorted, p);
}

function percentileOfSorted(sorted: readonly number[], p: number): number {
  const rank = (p / 100) * (sorted.length - 1);
  const below = Math.floor(rank);
  const above = Math.min(sorted.length - 1, below + 1);
  const low = sorted[below] ?? 0;
  const high = sorted[above] ?? low;
  return low + (high - low) * (rank - below);
}

/** The median of `values` (the 50th percentile). */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Median, min and max of repeated measurements. */
export function summarize(values: readonly number[]): Figure {
  assertSample(values, 'summarize');
  return {
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    n: values.length,
  };
}

/** The percentiles of a latency sample. */
export function distribution(values: readonly number[]): Distribution {
  assertSample(values, 'distribution');
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number): number => percentileOfSorted(sorted, p);
  return {
    count: sorted.length,
    min: sorted[0] ?? 0,
    p25: at(25),
    p50: at(50),
    p75: at(75),
    p90: at(90),
    p99: at(99),
    max: sorted[sorted.length - 1] ?? 0,
  };
}
