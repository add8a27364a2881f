/**
 * Pages of the run history, newest first, read from the runs' history
 * entries: a page of 50 reads about 50 small files, whatever the number of
 * runs on disk. `run.json` is read only where the entry cannot answer alone:
 * an active run (its counts change), or an entry that is missing or damaged
 * (then rebuilt, with a warning for a damaged one). So the answer is always
 * what `run.json` says.
 */
import type { RunState, RunStatus } from '@baton/core';
import { isStoppedRunStatus } from '@baton/core';
import type { HistoryEntry } from './historyEntry';
import { historyEntryOf, isFinalEntry } from './historyEntry';
import type { RunStore } from './runStore';
import { assertRunId } from './paths';

/** What to list. */
export interface HistoryQuery {
  /** Only runs of this pipeline id. */
  readonly pipelineId?: string;
  /** Only runs in these statuses. */
  readonly statuses?: readonly RunStatus[];
  /** At most this many runs. */
  readonly limit: number;
  /** Only runs older than this one: the `nextCursor` of the page before. */
  readonly cursor?: string;
}

/** One run of a page: its entry, or why neither its entry nor its `run.json` could be read. */
export type HistoryItem =
  | {
      readonly runId: string;
      readonly entry: HistoryEntry;
      /** The checkpoint, when it was read (an active run, or a rebuilt entry). */
      readonly state?: RunState;
    }
  | {
      readonly runId: string;
      readonly error: string;
      /** The run's pipeline, when its history entry still names it. */
      readonly pipelineId?: string;
    };

/** A page of the history. */
export interface HistoryPage {
  readonly items: readonly HistoryItem[];
  /** Pass it as `cursor` for the next page; absent when this page is the last. */
  readonly nextCursor?: string;
  /** What was wrong on disk and how it was got round (damaged entries, rebuilt ones). */
  readonly warnings: readonly string[];
  /**
   * Settles once the entries this page rebuilt are written, with the
   * problems of those that could not be. The page does not wait for it: its
   * answer came from `run.json`, the entries only make the next page cheaper.
   */
  readonly rebuilding: Promise<readonly string[]>;
}

/** The rebuilds a page started, and what went wrong with them. */
interface Rebuilds {
  readonly ids: string[];
  readonly writes: Promise<string | undefined>[];
}

/** Entries read at once while looking for a page's runs. */
const BATCH = 32;

/**
 * Reads one page. The cursor is the id of the last run of the page before:
 * run ids sort by creation time, so a run created meanwhile never shifts a
 * later page. Unreadable runs are listed with their error unless a pipeline
 * filter is given and their pipeline is unknown.
 */
export async function readHistoryPage(store: RunStore, query: HistoryQuery): Promise<HistoryPage> {
  if (query.cursor !== undefined) assertRunId(query.cursor);
  const cursor = query.cursor;
  const ids = (await store.listRunIds()).filter((id) => cursor === undefined || id < cursor);
  const items: HistoryItem[] = [];
  const warnings: string[] = [];
  const rebuilds: Rebuilds = { ids: [], writes: [] };
  // One more than the page, so a page knows whether another follows.
  const wanted = query.limit + 1;
  const filtered = query.pipelineId !== undefined || query.statuses !== undefined;
  let next = 0;
  while (next < ids.length && items.length < wanted) {
    // Unfiltered, every run read is on the page; filtered, read ahead in batches.
    const missing = wanted - items.length;
    const chunk = ids.slice(next, next + (filtered ? Math.max(missing, BATCH) : missing));
    next += chunk.length;
    const read = await Promise.all(chunk.map((id) => readItem(store, id, warnings, rebuilds)));
    for (const item of read)
      if (item !== undefined && matches(item, query) && items.length < wanted) items.push(item);
  }
  const rebuilt = rebuilds.ids.sort().reverse();
  if (rebuilt.length > 0) {
    warnings.push(
      `rebuilt the missing history entries of ${rebuilt.length} run(s) from their run.json (${rebuilt.slice(0, 3).join(', ')}${rebuilt.length > 3 ? ', …' : ''})`,
    );
  }
  const rebuilding = Promise.all(rebuilds.writes).then((problems) =>
    problems.filter((problem): problem is string => problem !== undefined),
  );
  const page = items.slice(0, query.limit);
  const last = page.at(-1);
  return items.length > query.limit && last !== undefined
    ? { items: page, nextCursor: last.runId, warnings, rebuilding }
    : { items: page, warnings, rebuilding };
}

function matches(item: HistoryItem, query: HistoryQuery): boolean {
  if (!('entry' in item)) {
    return query.statuses === undefined && [undefined, item.pipelineId].includes(query.pipelineId);
  }
  if (query.pipelineId !== undefined && item.entry.pipelineId !== query.pipelineId) return false;
  return query.statuses === undefined || query.statuses.includes(item.entry.status);
}

/** One run's item; `undefined` when its folder went away while listing. */
async function readItem(
  store: RunStore,
  runId: string,
  warnings: string[],
  rebuilds: Rebuilds,
): Promise<HistoryItem | undefined> {
  const read = await store.readHistoryEntry(runId);
  if (read.kind === 'entry' && isFinalEntry(read.entry)) return { runId, entry: read.entry };
  let state: RunState;
  try {
    state = await store.readCheckpoint(runId);
  } catch (error) {
    if (!(await store.hasRun(runId))) return undefined;
    const message = error instanceof Error ? error.message : String(error);
    // An entry still names the pipeline of a run whose run.json is unreadable.
    return read.kind === 'entry'
      ? { runId, error: message, pipelineId: read.entry.pipelineId }
      : { runId, error: message };
  }
  if (read.kind === 'damaged')
    warnings.push(
      `history entry of run ${runId} is damaged (${read.problem}): read its run.json instead and rebuilt it`,
    );
  // A damaged entry is replaced whatever the run's status (an active one is
  // read through to run.json anyway); a missing one only for a stopped run,
  // since an active run's owner writes its own at its next status change.
  const damaged = read.kind === 'damaged';
  if (damaged || (read.kind === 'missing' && isStoppedRunStatus(state.status))) {
    if (!damaged) rebuilds.ids.push(runId);
    rebuilds.writes.push(
      store.rebuildHistoryEntry(state, damaged).then(
        () => undefined,
        (error: unknown) => `could not rebuild the history entry of run ${runId}: ${String(error)}`,
      ),
    );
  }
  return { runId, entry: historyEntryOf(state), state };
}
