import * as v8 from 'node:v8';
import { isStoppedRunStatus } from '@baton/core';
import type * as Core from '@baton/core';

/** How much V8 may grow the server's heap after a full collection while a large run is live, in percent of what stayed alive. */
export const LARGE_RUN_HEAP_GROWING_PERCENT = 50;

/** A run with at least this many stages and units counts as large. */
export const LARGE_RUN_UNITS = 1000;

const FLAG = '--heap-growing-percent';

/** Sets V8's heap growing factor: `percent` above 1, or 0 for V8's own choice. */
export type SetHeapGrowth = (percent: number) => void;

function setV8HeapGrowth(percent: number): void {
  v8.setFlagsFromString(`${FLAG}=${percent}`);
}

/**
 * Bounds how far V8 lets the server's heap grow beyond what a full
 * collection left alive (1.5× instead of V8's own factor, which reaches 4×
 * when collections are quick) while a large run is live, and gives V8 its
 * own choice back once none is.
 *
 * Why: a fan-out's events and stage starts leave short-lived garbage that
 * outlives the young generation; with V8's factor the old generation fills
 * with 150–200 MB of it before a full collection, and V8 keeps the memory it
 * grew. Over a 10,000-item fan-out the server peaked at 257 MB with V8's
 * factor and at 182 MB with this one, its latencies within their goals. Not
 * always on: the more frequent full collections cost a log flood about 15 %
 * of its throughput (docs/benchmarks.md). V8 reads the flag at every
 * collection, so changing it while the process runs takes effect at the next
 * one. A `--heap-growing-percent` given to Node wins: then this does nothing.
 */
export class HeapGrowthPolicy {
  private readonly largeRuns = new Set<string>();
  private readonly enabled: boolean;

  constructor(
    private readonly setGrowth: SetHeapGrowth = setV8HeapGrowth,
    execArgv: readonly string[] = process.execArgv,
  ) {
    this.enabled = !execArgv.some(
      (arg) => arg.startsWith(FLAG) || arg.startsWith('--heap_growing_percent'),
    );
  }

  /** Follows run states as they change (a fan-out makes a run large when it lists its items). */
  follow(states: Iterable<Core.RunState>): void {
    if (!this.enabled) return;
    const wasBounded = this.largeRuns.size > 0;
    for (const state of states) {
      const large =
        !isStoppedRunStatus(state.status) && state.pipeline.stages.length >= LARGE_RUN_UNITS;
      if (large) this.largeRuns.add(state.runId);
      else this.largeRuns.delete(state.runId);
    }
    const bounded = this.largeRuns.size > 0;
    if (bounded !== wasBounded) this.setGrowth(bounded ? LARGE_RUN_HEAP_GROWING_PERCENT : 0);
  }
}
