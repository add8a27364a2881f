import type { RunSummary } from '@baton/protocol';
import { runStatusWord } from '@baton/protocol';
import { CommandIds } from './commandIds';
import { formatClock } from './format';
import { runLabel } from './runLabel';
import { ranText } from './runTime';

/** How many runs one page of the history asks for. */
export const HISTORY_PAGE = 50;

/** One row of the history picker: a run, or the row that loads the next page. */
export type HistoryChoice =
  | { readonly kind: 'run'; readonly run: RunSummary }
  | { readonly kind: 'loadMore'; readonly cursor: string };

/** A row as the picker draws it. */
export interface HistoryRow {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  readonly value: HistoryChoice;
}

/**
 * The rows of the history picker for the runs loaded so far, newest first:
 * each run's label, status and how long it ran, when it started and its id;
 * then "Load more…" while the server has older runs (`nextCursor`).
 */
export function historyRows(
  runs: readonly RunSummary[],
  nextCursor: string | undefined,
  now: number,
): HistoryRow[] {
  const rows: HistoryRow[] = runs.map((run) => {
    const ran = ranText(run, now);
    return {
      label: runLabel(run),
      description:
        ran === undefined ? runStatusWord(run.status) : `${runStatusWord(run.status)} · ${ran}`,
      detail: `started ${formatClock(run.startedAt ?? run.createdAt, now)} · ${run.runId}${run.reason ? ` · ${run.reason}` : ''}`,
      value: { kind: 'run', run },
    };
  });
  if (nextCursor !== undefined) {
    rows.push({
      label: '$(history) Load more…',
      description: `older runs than these ${runs.length}`,
      value: { kind: 'loadMore', cursor: nextCursor },
    });
  }
  return rows;
}

/** What the history picker offers for a picked run, with the command each runs. */
export const HISTORY_ACTIONS = [
  { label: 'Compare with Previous Run', command: CommandIds.compareWithPrevious },
  { label: 'Compare with Run…', command: CommandIds.compareWithRun },
  { label: 'Show Summary', command: CommandIds.showSummary },
  { label: 'Show Graph', command: CommandIds.showGraph },
  { label: 'Show Run Log', command: CommandIds.showRunLog },
  { label: 'Copy Run Id', command: CommandIds.copyRunId },
] as const;
