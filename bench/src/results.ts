import type { Distribution, Figure } from './stats';

/** A figure of a peer, or why there is none. */
export type PeerFigure =
  | { readonly name: string; readonly figure: Figure }
  | { readonly name: string; readonly missing: string };

/** One line of the results table. */
export interface ResultRow {
  /** The scenario key from the issue (`stage_overhead_ms`, …). */
  readonly key: string;
  /** What the figures measure, e.g. `ms per stage`. */
  readonly unit: string;
  /** Baton's figure; undefined when the scenario failed (see `error`). */
  readonly baton?: Figure;
  /** The peer it is compared with, if the scenario has one. */
  readonly peer?: PeerFigure;
  /** Baton's median divided by the peer's median, measured in the same run. */
  readonly ratio?: number;
  /** The target in words, e.g. `≤ 2× make`. */
  readonly target: string;
  /** Whether the target is met; undefined when it could not be judged. */
  readonly met?: boolean;
  /** Anything a reader needs to read the row right. */
  readonly note?: string;
  /** Why the scenario produced no figure. */
  readonly error?: string;
}

/** A latency sample pooled over a scenario's repetitions, for the chart. */
export interface LatencySeries {
  readonly label: string;
  readonly distribution: Distribution;
  /** The p99 target, when the scenario has one. */
  readonly targetMs?: number;
  /** A peer's distribution (drawn in grey) rather than Baton's. */
  readonly peer?: boolean;
}

/** What one scenario reports. */
export interface ScenarioOutcome {
  readonly rows: readonly ResultRow[];
  readonly latencies?: readonly LatencySeries[];
}

/** The whole run, as `--json` writes it. */
export interface BenchReport {
  readonly startedAt: string;
  readonly quick: boolean;
  readonly machine: {
    readonly cpus: number;
    readonly cpuModel: string;
    readonly memoryMb: number;
    readonly node: string;
    readonly platform: string;
    /** 1-minute load average when the run started and when it ended: how busy the shared machine was. */
    readonly loadAverage: { readonly start: number; readonly end: number };
  };
  readonly durationMs: number;
  readonly rows: readonly ResultRow[];
  readonly latencies: readonly LatencySeries[];
}

/** The ratio of two medians, or undefined when either is missing or the divisor is zero. */
export function ratioOf(
  baton: Figure | undefined,
  peer: PeerFigure | undefined,
): number | undefined {
  if (baton === undefined || peer === undefined || !('figure' in peer)) return undefined;
  if (peer.figure.median === 0) return undefined;
  return baton.median / peer.figure.median;
}
