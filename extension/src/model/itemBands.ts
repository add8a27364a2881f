import type { StageSnapshot, StageStatus, WireItemCounts } from '@baton/protocol';

/**
 * The item counts of a fanned-out stage (`matrix:`/`foreach:`) as proportions,
 * for the Runs tree row and the graph box alike (in words: the protocol's
 * `itemCountsText`, which the CLI prints too). Read from the
 * counts the server keeps on the stage (`StageSnapshot.items`), never from a
 * walk of its units.
 */

/** The four bands of a fanned-out stage's status bar, in the order they are drawn. */
export interface ItemBands {
  readonly done: number;
  readonly failed: number;
  readonly running: number;
  readonly queued: number;
  readonly total: number;
}

/** Whether a stage fans out into items: it has item counts. */
export function isFannedOut(stage: StageSnapshot): stage is StageSnapshot & {
  readonly items: WireItemCounts;
} {
  return stage.items !== undefined;
}

/** How many items are in `status`. */
export function itemCount(items: WireItemCounts, status: StageStatus): number {
  return items.counts[status] ?? 0;
}

/** The bar's bands: done (succeeded), failed (failed or cancelled), running (live or retrying), queued (the rest). */
export function itemBands(items: WireItemCounts): ItemBands {
  const done = itemCount(items, 'succeeded');
  const failed = itemCount(items, 'failed') + itemCount(items, 'cancelled');
  const running =
    itemCount(items, 'running') + itemCount(items, 'waiting') + itemCount(items, 'retrying');
  const queued = Math.max(0, items.total - done - failed - running);
  return { done, failed, running, queued, total: items.total };
}

/** Items that ended, in whole percent of all (0 with none). */
export function itemPercent(items: WireItemCounts): number {
  if (items.total <= 0) return 0;
  const ended =
    itemCount(items, 'succeeded') +
    itemCount(items, 'failed') +
    itemCount(items, 'cancelled') +
    itemCount(items, 'skipped');
  return Math.floor((ended / items.total) * 100);
}
