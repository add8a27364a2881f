import type * as Core from '@baton/core';
import { pipelineIndex } from '@baton/core';
import * as P from '@baton/protocol';
import { rpcError } from '../rpcErrors';

/**
 * The units of fanned-out stage `stage` that Retry Failed Items runs again
 * (`baton/retryStage` with `failedItems`): those that failed or were
 * cancelled. Their succeeded siblings are kept; siblings that never ran run
 * anyway, as any resume runs them. Throws StageNotFound when the stage did
 * not fan out, and RunNotResumable when none of its units failed.
 */
export function failedItemsOf(state: Core.RunState, stage: string): string[] {
  const spec = pipelineIndex(state.pipeline).specs.get(stage);
  if (spec?.gather === undefined) {
    throw rpcError(
      P.ErrorCodes.StageNotFound,
      `Stage ${stage} of run ${state.runId} has no items: it does not fan out (matrix:, foreach:) or never did`,
    );
  }
  const failed = spec.needs.filter((unit) => {
    const status = state.stages[unit]?.status;
    return status === 'failed' || status === 'cancelled';
  });
  if (failed.length === 0) {
    throw rpcError(
      P.ErrorCodes.RunNotResumable,
      `Stage ${stage} of run ${state.runId} has no failed items to retry`,
    );
  }
  return failed;
}
