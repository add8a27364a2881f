import type { ItemCounts } from '@baton/core';
import { itemCountsText } from '@baton/protocol';

/** A fanned-out stage's items in one short line, and how far they are. */
export interface ItemSummary {
  /** `812/2000 · 3 failed · 12 running`: done over total, then what is worth a look. */
  readonly text: string;
  /** Finished items over all of them, 0..100. */
  readonly percent: number;
  /** Whether any item is running (or waiting on a prompt) now. */
  readonly live: boolean;
}

/** The summary of a fanned-out stage's item counts (see `StageState.items`). */
export function summarizeItems(items: ItemCounts): ItemSummary {
  const { succeeded, failed, skipped, cancelled, running, waiting, retrying } = items.counts;
  // Counts written before pools had a status of their own lack it.
  const waitingForPool = items.counts.waitingForPool ?? 0;
  const finished = succeeded + failed + skipped + cancelled;
  const percent = items.total === 0 ? 100 : (100 * finished) / items.total;
  // The words are the protocol's, so the CLI and the editor say the same.
  const live = running + waiting + waitingForPool + retrying > 0;
  return { text: itemCountsText(items), percent, live };
}
