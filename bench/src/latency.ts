import type { LatencySeries, PeerFigure, ResultRow } from './results';
import { ratioOf } from './results';
import { distribution, percentile, summarize } from './stats';
import { formatNumber } from './table';

/** Latency samples of one repetition. */
export type Repetition = readonly number[];

/** p99 of each repetition, summarised: the figure the table shows for a p99 target. */
export function p99Figure(repetitions: readonly Repetition[]): ReturnType<typeof summarize> {
  const usable = repetitions.filter((samples) => samples.length > 0);
  if (usable.length === 0) throw new Error('no latency sample was collected');
  return summarize(usable.map((samples) => percentile(samples, 99)));
}

/** A p99 row comparing Baton with a peer measured the same way, with p50 in the note. */
export function p99Row(options: {
  readonly key: string;
  readonly baton: readonly Repetition[];
  readonly peerName: string;
  readonly peer: readonly Repetition[] | undefined;
  readonly targetMs: number;
  readonly note: string;
}): ResultRow {
  const baton = p99Figure(options.baton);
  const peer: PeerFigure | undefined =
    options.peer === undefined
      ? undefined
      : { name: options.peerName, figure: p99Figure(options.peer) };
  const ratio = ratioOf(baton, peer);
  const pooled = options.baton.flat();
  const p50 = pooled.length > 0 ? percentile(pooled, 50) : Number.NaN;
  return {
    key: options.key,
    unit: 'ms',
    baton,
    ...(peer === undefined ? {} : { peer }),
    ...(ratio === undefined ? {} : { ratio }),
    target: `p99 ≤ ${options.targetMs} ms`,
    met: baton.median <= options.targetMs,
    note: `${options.note}; p50 ${formatNumber(p50)} ms over ${pooled.length} samples`,
  };
}

/** The pooled distribution of a latency sample for the chart. */
export function latencySeries(
  label: string,
  repetitions: readonly Repetition[],
  targetMs?: number,
): LatencySeries {
  return {
    label,
    distribution: distribution(repetitions.flat()),
    ...(targetMs === undefined ? {} : { targetMs }),
  };
}

/** The pooled distribution of a peer's latency sample for the chart. */
export function peerLatencySeries(
  label: string,
  repetitions: readonly Repetition[],
): LatencySeries {
  return { ...latencySeries(label, repetitions), peer: true };
}
