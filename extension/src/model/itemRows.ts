import type { StageSnapshot } from '@baton/protocol';
import { stageStatusWord } from '@baton/protocol';
import { CommandIds } from './commandIds';
import { itemCountsText } from '@baton/protocol';
import { isFannedOut, itemCount, itemPercent } from './itemBands';
import { ITEM_PAGE } from './itemWindow';
import { isRetryableStage } from './runStatus';
import type { RunView } from './runView';
import { stageIcon } from './statusIcons';
import type { NodeView } from './treeNodes';
import { stageRow } from './treeRows';

/**
 * The rows of a fanned-out stage (`matrix:`/`foreach:`) in the Runs tree:
 * one row for the stage with its item counts, its items under it a page at
 * a time, and a "Show more" row. Pure functions of the mirror's data.
 */

/** Whether Retry Failed Items applies: the run ended and some item failed or was stopped. */
export function hasRetryableItems(run: RunView, stage: StageSnapshot): boolean {
  if (!isFannedOut(stage)) return false;
  const failed = itemCount(stage.items, 'failed') + itemCount(stage.items, 'cancelled');
  return failed > 0 && isRetryableStage('failed', run.summary.status);
}

/**
 * A fanned-out stage's row: `12/40 succeeded · 2 failed · 3 running · 42%`,
 * collapsible to its items. Before it fans out (its needs still running) it
 * reads as any stage, but is already collapsible, since VS Code keeps the
 * state a row id was first drawn with.
 */
export function fanOutRow(run: RunView, stage: StageSnapshot, now: number): NodeView {
  const base = stageRow(run, stage, now);
  const retryable = isRetryableStage(stage.status, run.summary.status) ? '.retryable' : '';
  const failedItems = hasRetryableItems(run, stage) ? '.failedItems' : '';
  if (!isFannedOut(stage)) {
    return {
      ...base,
      id: `${base.id}#items`,
      contextValue: 'stage.fanOut',
      collapsible: 'collapsed',
    };
  }
  const counts = `${itemCountsText(stage.items)} · ${itemPercent(stage.items)}%`;
  // The counts say what the items did; the stage's own word only when it ended badly (its reason repeats the counts).
  const ended =
    stage.status === 'failed' || stage.status === 'cancelled' || stage.status === 'skipped';
  const own = ended ? ` · ${stageStatusWord(stage, run.summary.status)}` : '';
  return {
    ...base,
    id: `${base.id}#items`,
    description: `${counts}${own}`,
    tooltip: `${base.tooltip ?? ''}\n\nItems: ${itemCountsText(stage.items)}`,
    contextValue: `stage.fanOut${retryable}${failedItems}`,
    collapsible: 'collapsed',
  };
}

/** One item's row under its stage: labelled by its item (`[p1.txt]`), otherwise a stage row. */
export function itemRow(run: RunView, unit: StageSnapshot, now: number): NodeView {
  const base = stageRow(run, unit, now);
  const label =
    unit.unitOf !== undefined && unit.id.startsWith(`${unit.unitOf}[`)
      ? itemLabel(unit.id.slice(unit.unitOf.length))
      : unit.id;
  return {
    ...base,
    label,
    icon: base.icon ?? stageIcon(unit.status),
    contextValue: isRetryableStage(unit.status, run.summary.status) ? 'item.retryable' : 'item',
  };
}

/** The row after a page of items: a click shows the next page. */
export function moreItemsRow(
  runId: string,
  stageId: string,
  shown: number,
  total: number,
): NodeView {
  const next = Math.min(ITEM_PAGE, total - shown);
  return {
    id: `more:${runId}/${stageId}`,
    label: `Show ${next} more…`,
    description: `${shown} of ${total} items shown`,
    icon: { id: 'ellipsis' },
    contextValue: 'moreItems',
    collapsible: 'none',
    command: {
      command: CommandIds.showMoreItems,
      title: 'Show More Items',
      arguments: [runId, stageId],
    },
  };
}

/** The row under a fanned-out stage while its first page of items is on its way. */
export function loadingItemsRow(runId: string, stageId: string): NodeView {
  return {
    id: `loading-items:${runId}/${stageId}`,
    label: 'Loading items…',
    icon: { id: 'loading~spin' },
    contextValue: 'loading',
    collapsible: 'none',
  };
}

/**
 * An item as a person reads it: `[items/b.txt]` for the unit id's
 * `[items%2Fb.txt]` (the core escapes `/`, `\`, `:`, brackets and control
 * characters as `%XX` so an id is one file name; control characters stay escaped).
 */
export function itemLabel(bracketed: string): string {
  return bracketed.replace(/%([0-9A-F]{2})/g, (escaped, hex: string) => {
    const code = parseInt(hex, 16);
    return code < 0x20 || code === 0x7f ? escaped : String.fromCharCode(code);
  });
}
