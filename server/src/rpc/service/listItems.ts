/** `baton/listItems`: one page of a fanned-out stage's units, from the run's state. */
import type * as Core from '@baton/core';
import * as P from '@baton/protocol';
import { invalidParams, rpcError } from '../rpcErrors';
import { formatItemCursor, itemIdPage, parseItemCursor, unitIdsOf } from './itemPages';
import { toStageSnapshot, toWireItems } from './wire';

/** Units a page holds when the request names no `limit`. */
export const DEFAULT_ITEM_PAGE = 100;

/**
 * The page of `params.stage`'s units after `params.cursor`, failed first,
 * then running, then the rest; `expectedMs` from past runs. StageNotFound
 * for a stage that does not fan out, InvalidParams for a cursor that is not one.
 */
export function listItems(
  state: Core.RunState,
  params: P.ListItemsParams,
  expectedMs: (stageId: string) => number | undefined,
): P.ListItemsResult {
  const units = unitIdsOf(state, params.stage);
  if (units === undefined) {
    throw rpcError(
      P.ErrorCodes.StageNotFound,
      `Run ${state.runId} has no fanned-out stage ${params.stage}`,
    );
  }
  const after = params.cursor === undefined ? undefined : parseItemCursor(params.cursor);
  if (params.cursor !== undefined && after === undefined) {
    throw invalidParams('cursor', 'must be the nextCursor of an earlier page');
  }
  const page = itemIdPage(state, params.stage, units, {
    limit: params.limit ?? DEFAULT_ITEM_PAGE,
    ...(after === undefined ? {} : { after }),
  });
  const items = page.ids.flatMap((id) => toStageSnapshot(state, id, expectedMs(id)) ?? []);
  const own = state.stages[params.stage]?.items;
  // Before the stage fans out it has no items yet.
  const counts = own === undefined ? { total: 0, counts: {} } : toWireItems(own);
  return page.next === undefined
    ? { items, counts }
    : { items, counts, nextCursor: formatItemCursor(page.next) };
}
