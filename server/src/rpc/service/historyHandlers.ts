/** The history requests: `baton/listRuns` (paged) and `baton/compareRuns`. */
import type * as Core from '@baton/core';
import * as P from '@baton/protocol';
import type { Engine } from '../../engine/engine';
import type { HistoryItem } from '../../store/historyPages';
import type { RequestHandlers } from '../connection';
import { invalidParams } from '../rpcErrors';
import { compareRunStates } from './compareRunStates';
import { toRpcError } from './toRpcError';
import { historyEntrySummary, toRunSummary } from './wire';

/** What the history handlers work with. */
export interface HistoryDeps {
  readonly engine: Engine;
  /** Whether this server runs or ran a run (`RunSummary.local`). */
  readonly isLocal: (runId: string) => boolean;
  /** Where a damaged or rebuilt history entry is told (the server's log). */
  readonly warn: (message: string) => void;
}

/** Default page size of `baton/listRuns`. */
const DEFAULT_PAGE = 50;

/** The handlers of `baton/listRuns` and `baton/compareRuns`. */
export function createHistoryHandlers(deps: HistoryDeps): RequestHandlers {
  return {
    'baton/listRuns': (params) => listRuns(deps, params),
    'baton/compareRuns': (params) => compareRuns(deps, params),
  };
}

async function listRuns(deps: HistoryDeps, params: P.ListRunsParams): Promise<P.ListRunsResult> {
  const { engine } = deps;
  const page = await engine.files.readHistoryPage({
    limit: params.limit ?? DEFAULT_PAGE,
    ...(params.pipeline === undefined ? {} : { pipelineId: params.pipeline }),
    ...(params.status === undefined ? {} : { statuses: params.status }),
    ...(params.cursor === undefined ? {} : { cursor: params.cursor }),
  });
  for (const warning of page.warnings) deps.warn(`Run history: ${warning}`);
  void page.rebuilding.then((problems) => {
    for (const problem of problems) deps.warn(`Run history: ${problem}`);
  });
  const runs: P.RunSummary[] = [];
  for (const item of page.items) {
    const summary = await summaryOf(deps, item);
    if (summary !== undefined) runs.push(summary);
  }
  return page.nextCursor === undefined ? { runs } : { runs, nextCursor: page.nextCursor };
}

/** A page item as the wire shows it: a run this server runs from its live state. */
async function summaryOf(deps: HistoryDeps, item: HistoryItem): Promise<P.RunSummary | undefined> {
  if (!('entry' in item)) return undefined;
  const local = deps.isLocal(item.runId);
  if (deps.engine.ownsRun(item.runId))
    return toRunSummary(await deps.engine.getRunState(item.runId), local);
  return item.state !== undefined
    ? toRunSummary(item.state, local)
    : historyEntrySummary(item.entry, local);
}

async function compareRuns(
  deps: HistoryDeps,
  params: P.CompareRunsParams,
): Promise<P.CompareRunsResult> {
  const run = await runState(deps.engine, params.runId);
  const baseId = params.baseRunId ?? (await previousRunId(deps.engine, run));
  const base = baseId === undefined ? undefined : await runState(deps.engine, baseId);
  if (base !== undefined && base.pipeline.id !== run.pipeline.id) {
    throw invalidParams(
      'baseRunId',
      `run ${base.runId} is of pipeline ${base.pipeline.id}, run ${run.runId} of ${run.pipeline.id}: only runs of one pipeline compare`,
    );
  }
  return { comparison: compareRunStates(run, base, deps.isLocal) };
}

/** The newest run of the same pipeline created before `run`, if any. */
async function previousRunId(engine: Engine, run: Core.RunState): Promise<string | undefined> {
  const page = await engine.files.readHistoryPage({
    pipelineId: run.pipeline.id,
    cursor: run.runId,
    limit: 1,
  });
  return page.items[0]?.runId;
}

async function runState(engine: Engine, runId: string): Promise<Core.RunState> {
  try {
    return await engine.getRunState(runId);
  } catch (error) {
    throw toRpcError(error, {
      notFound: P.ErrorCodes.RunNotFound,
      invalidState: P.ErrorCodes.RunNotFound,
      inputField: 'runId',
    });
  }
}
