import type { ItemCounts } from '@baton/core';

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
  const parts = [`${succeeded}/${items.total}`];
  if (failed > 0) parts.push(`${failed} failed`);
  if (skipped > 0) parts.push(`${skipped} skipped`);
  if (cancelled > 0) parts.push(`${cancelled} cancelled`);
  if (running + waiting > 0) parts.push(`${running + waiting} running`);
  if (waitingForPool > 0) parts.push(`${waitingForPool} waiting for pool`);
  if (retrying > 0) parts.push(`${retrying} retrying`);
  const percent = items.total === 0 ? 100 : (100 * finished) / items.total;
  const live = running + waiting + waitingForPool + retrying > 0;
  return { text: parts.join(' · '), percent, live };
}
