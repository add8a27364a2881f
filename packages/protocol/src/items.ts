/**
 * The units `<stage>[<item>]` of a fanned-out stage (`matrix:`/`foreach:`), a
 * page at a time (`baton/listItems`). A run's snapshot (`baton/getRun`) gives
 * a fanned-out stage as one row with its item counts and only its few
 * notable units; a view that lists the items (a tree expanding the stage)
 * reads them here, failed and running ones first, never all at once.
 */
import type { StageSnapshot, WireItemCounts } from './stageSnapshot';

/**
 * Sent from the client to the server to read a page of one fanned-out
 * stage's units: failed and cancelled units first, then those under way
 * (running, waiting, retrying), then the rest, each group in declaration
 * order. A page costs the server the units it returns plus a read of each
 * unit's status, never a snapshot of the run. Errors: RunNotFound,
 * StageNotFound (no such stage, or it does not fan out), InvalidParams (a
 * malformed `cursor`).
 */
export const ListItemsMethod = 'baton/listItems';
/** `baton/listItems` params. */
export interface ListItemsParams {
  readonly runId: string;
  /** The fanned-out stage (not one of its units). */
  readonly stage: string;
  /** At most this many units (default 100, at most 1000). */
  readonly limit?: number;
  /**
   * Only units after those already listed: the `nextCursor` of the page
   * before. The order is read at each request, so a unit that changed group
   * between two pages (it failed, or started) may be met twice or not at
   * all; a view that wants the current order asks from the start again.
   */
  readonly cursor?: string;
}
/** `baton/listItems` result. */
export interface ListItemsResult {
  /** Units of the stage, in the order above. */
  readonly items: readonly StageSnapshot[];
  /** The stage's units counted by status now (total 0 before the stage fanned out). */
  readonly counts: WireItemCounts;
  /** Pass it as `cursor` for the next page; absent when there are no more units. */
  readonly nextCursor?: string;
}

/**
 * How many units of each fanned-out stage a `baton/getRun` answer lists at
 * most: its failed and cancelled units, then those under way, in declaration
 * order. The stage's `items` counts all of them.
 */
export const SNAPSHOT_UNITS_PER_STAGE = 50;

/** The group a unit's status puts it in, in the order `baton/listItems` lists them: 0 failed, 1 under way, 2 the rest. */
export function itemGroupOf(status: StageSnapshot['status']): 0 | 1 | 2 {
  switch (status) {
    case 'failed':
    case 'cancelled':
      return 0;
    case 'running':
    case 'waiting':
    case 'retrying':
      return 1;
    default:
      return 2;
  }
}
