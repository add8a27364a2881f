import * as assert from 'node:assert/strict';
import type {
  BatonEvent,
  ListItemsParams,
  ListItemsResult,
  StageSnapshot,
  StageStatus,
} from '@baton/protocol';
import { itemCountsText, itemGroupOf } from '@baton/protocol';
import { itemBands } from '../src/model/itemBands';
import { ItemReader } from '../src/model/itemReader';
import { ITEM_PAGE, freshWindow } from '../src/model/itemWindow';
import { itemLabel } from '../src/model/itemRows';
import { ServerMirror } from '../src/model/serverMirror';
import type { TreeNode } from '../src/model/treeModel';
import { RunTreeModel } from '../src/model/treeModel';
import { TreeMemory } from '../src/model/treeUpdates';
import { snapshot, stage } from './builders';

/** `n` units of `each`, statuses from `statusOf`. */
function unitsOf(n: number, statusOf: (index: number) => StageStatus): StageSnapshot[] {
  return Array.from({ length: n }, (_, i) =>
    stage(`each[f${i}.txt]`, { status: statusOf(i), unitOf: 'each', attempt: 1 }),
  );
}

/**
 * The server's side of `baton/listItems` over `units`, in memory: failed,
 * running, then the rest, `limit` at a time after the cursor (an index into that order).
 */
function listItemsOf(units: readonly StageSnapshot[]): {
  listItems(params: ListItemsParams): Promise<ListItemsResult>;
  readonly asked: ListItemsParams[];
} {
  const asked: ListItemsParams[] = [];
  const ordered = [0, 1, 2].flatMap((group) =>
    units.filter((unit) => itemGroupOf(unit.status) === group),
  );
  const counts: Partial<Record<StageStatus, number>> = {};
  for (const unit of units) counts[unit.status] = (counts[unit.status] ?? 0) + 1;
  return {
    asked,
    listItems: (params) => {
      asked.push(params);
      const from = params.cursor === undefined ? 0 : Number(params.cursor);
      const to = from + (params.limit ?? 100);
      const items = ordered.slice(from, to);
      const result = { items, counts: { total: units.length, counts } };
      return Promise.resolve(to < ordered.length ? { ...result, nextCursor: String(to) } : result);
    },
  };
}

/** Resolves once `predicate` holds, checked after each change of the store. */
function storeSettles(store: ServerMirror, predicate: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (predicate()) return resolve();
    const subscription = store.onDidChange(() => {
      if (!predicate()) return;
      subscription.dispose();
      resolve();
    });
  });
}

/** A run with `fetch`, then `each` fanned out into `n` items (statuses from `statusOf`), then `report`. */
function fanOutRun(n: number, statusOf: (index: number) => StageStatus): StageSnapshot[] {
  const units = Array.from({ length: n }, (_, i) =>
    stage(`each[f${i}.txt]`, { status: statusOf(i), unitOf: 'each', attempt: 1 }),
  );
  const counts: Partial<Record<StageStatus, number>> = {};
  for (const unit of units) counts[unit.status] = (counts[unit.status] ?? 0) + 1;
  return [
    stage('fetch', { status: 'succeeded', attempt: 1 }),
    ...units,
    stage('each', { status: 'running', items: { total: n, counts }, needs: ['fetch'] }),
    stage('report', { needs: ['each'] }),
  ];
}

function labels(model: RunTreeModel, nodes: TreeNode[]): string[] {
  return nodes.map((node) => model.describe(node, 10_000)?.label ?? '?');
}

const EACH: TreeNode = { kind: 'stage', runId: 'r1', stageId: 'each' };

describe('Fanned-out stages in the Runs tree', () => {
  it('says item counts in the protocol’s words, and splits them into four bands', () => {
    const items = { total: 40, counts: { succeeded: 12, failed: 2, running: 3, pending: 23 } };
    assert.equal(itemCountsText(items), '12/40 · 2 failed · 3 running');
    assert.deepEqual(itemBands(items), { done: 12, failed: 2, running: 3, queued: 23, total: 40 });
  });

  it('labels an item as a person reads it, its id’s escapes undone (control characters kept escaped)', () => {
    assert.equal(itemLabel('[papers%2Fp1.txt]'), '[papers/p1.txt]');
    assert.equal(itemLabel('[a%3Ab%5Bc%5D%25]'), '[a:b[c]%]');
    assert.equal(itemLabel('[tab%09here]'), '[tab%09here]');
  });

  it('draws a fanned-out stage as one row with counts, and holds none of its units until they are read', () => {
    const store = new ServerMirror();
    store.setSnapshot(
      snapshot({
        stages: fanOutRun(40, (i) => (i < 12 ? 'succeeded' : i < 14 ? 'failed' : 'pending')),
      }),
    );
    const wanted: string[] = [];
    store.onDidNeedItems((w) => wanted.push(`${w.runId}/${w.stageId}${w.more ? ' more' : ''}`));
    const model = new RunTreeModel(store);
    const run: TreeNode = { kind: 'run', runId: 'r1' };
    assert.match(
      model.describe(run, 10_000)?.description ?? '',
      / · 1\/3 · 43% · /,
      'the run counts the fanned-out stage once, its items as its progress',
    );
    assert.deepEqual(store.run('r1')?.summary.stageCounts, {
      succeeded: 13,
      failed: 2,
      pending: 27,
      running: 1,
    });
    assert.deepEqual(
      store.run('r1')?.stages.map((s) => s.id),
      ['fetch', 'each', 'report'],
      'the units of a snapshot are not kept',
    );
    assert.deepEqual(labels(model, model.children(run)), ['fetch', 'each', 'report']);
    const row = model.describe(EACH, 10_000);
    assert.match(row?.description ?? '', /^12\/40 · 2 failed · 35%$/);
    assert.equal(row?.collapsible, 'collapsed');
    assert.equal(row?.contextValue, 'stage.fanOut');
    assert.deepEqual(labels(model, model.children(EACH)), ['Loading items…']);
    assert.deepEqual(wanted, ['r1/each'], 'expanding the row asks for its first page');
    const page = unitsOf(40, (i) => (i < 12 ? 'succeeded' : i < 14 ? 'failed' : 'pending'));
    store.setItemWindow('r1', 'each', freshWindow([page[12]!, page[13]!, page[0]!], '3'));
    const items = model.children(EACH);
    assert.deepEqual(labels(model, items), ['[f12.txt]', '[f13.txt]', '[f0.txt]', 'Show 37 more…']);
    const failed = model.describe(items[0]!, 10_000);
    assert.equal(failed?.contextValue, 'item');
    assert.deepEqual(failed?.command?.arguments, ['r1', 'each[f12.txt]']);
    assert.deepEqual(model.parent(items[0]!), EACH);
    assert.equal(model.describe(items[3]!, 10_000)?.description, '3 of 40 items shown');
  });

  it('reads 10,000 items a page at a time through baton/listItems: failed and running first, then “Show more”', async () => {
    const store = new ServerMirror();
    const statusOf = (i: number): StageStatus =>
      i === 9_999 ? 'failed' : i === 5_000 ? 'running' : i < 3_000 ? 'succeeded' : 'pending';
    store.setSnapshot(snapshot({ status: 'running', stages: fanOutRun(10_000, statusOf) }));
    const server = listItemsOf(unitsOf(10_000, statusOf));
    const reader = new ItemReader(store, server, (what, error) =>
      assert.fail(`${what}: ${String(error)}`),
    );
    store.onDidNeedItems((wanted) => reader.want(wanted));
    const model = new RunTreeModel(store);
    model.children(EACH);
    await storeSettles(store, () => store.run('r1')?.items?.['each'] !== undefined);
    let page = model.children(EACH);
    assert.equal(page.length, ITEM_PAGE + 1);
    assert.deepEqual(labels(model, page.slice(0, 3)), ['[f9999.txt]', '[f5000.txt]', '[f0.txt]']);
    const more = page.at(-1)!;
    assert.equal(more.kind, 'moreItems');
    const moreRow = model.describe(more, 10_000);
    assert.equal(moreRow?.label, 'Show 100 more…');
    assert.equal(moreRow?.description, '100 of 10000 items shown');
    assert.deepEqual(model.parent(more), EACH);
    model.showMoreItems('r1', 'each');
    await storeSettles(store, () => store.run('r1')?.items?.['each']?.units.length === 200);
    page = model.children(EACH);
    assert.equal(page.length, 2 * ITEM_PAGE + 1);
    assert.deepEqual(
      server.asked.map((p) => [p.limit, p.cursor]),
      [
        [100, undefined],
        [100, '100'],
      ],
    );
    assert.equal(store.run('r1')?.stages.length, 3, 'the run view still lists no units');
    reader.dispose();
  });

  it('offers Retry Failed Items on an ended run’s fanned-out stage with failed items', () => {
    const store = new ServerMirror();
    const stages = fanOutRun(3, (i) => (i === 1 ? 'failed' : 'succeeded')).map((s) =>
      s.id === 'each' ? { ...s, status: 'failed' as const } : s,
    );
    store.setSnapshot(snapshot({ status: 'failed', stages }));
    const units = unitsOf(3, (i) => (i === 1 ? 'failed' : 'succeeded'));
    store.setItemWindow('r1', 'each', freshWindow([units[1]!, units[0]!, units[2]!]));
    const model = new RunTreeModel(store);
    assert.equal(model.describe(EACH, 10_000)?.contextValue, 'stage.fanOut.retryable.failedItems');
    const [failedItem] = model.children(EACH);
    assert.equal(model.describe(failedItem!, 10_000)?.contextValue, 'item.retryable');
  });

  it('keeps counts from the stage’s item counts per event, patches held units, and marks the window stale when another unit leads', () => {
    const store = new ServerMirror();
    store.setSnapshot(snapshot({ seq: 1, stages: fanOutRun(2_000, () => 'pending') }));
    const units = unitsOf(2_000, () => 'pending');
    store.setItemWindow('r1', 'each', freshWindow(units.slice(0, 100), '100'));
    const event = (seq: number, status: StageStatus, id: string): BatonEvent => ({
      kind: 'stageStatusChanged',
      seq,
      runId: 'r1',
      time: 5_000,
      stage: id,
      attempt: 1,
      status,
      maxAttempts: 1,
      unitOf: 'each',
    });
    const items = (seq: number, counts: Partial<Record<StageStatus, number>>): BatonEvent => ({
      kind: 'stageItems',
      seq,
      runId: 'r1',
      time: 5_000,
      stage: 'each',
      attempt: 0,
      items: { total: 2_000, counts },
    });
    store.applyFeedEvent(event(2, 'running', 'each[f7.txt]'));
    store.applyFeedEvent(items(3, { running: 1, pending: 1_999 }));
    let run = store.run('r1')!;
    let window = run.items?.['each'];
    assert.equal(window?.units[7]?.status, 'running', 'a held unit is patched in place');
    assert.equal(window?.stale, true, 'it moved to the running group: the order changed');
    // `each` itself runs too.
    assert.deepEqual(run.summary.stageCounts, { succeeded: 1, pending: 2_000, running: 2 });
    store.setItemWindow('r1', 'each', freshWindow(units.slice(0, 100), '100'));
    store.applyFeedEvent(event(4, 'succeeded', 'each[f1500.txt]'));
    window = store.run('r1')?.items?.['each'];
    assert.equal(
      window?.stale,
      false,
      'a unit outside the window that does not lead changes nothing',
    );
    store.applyFeedEvent(event(5, 'failed', 'each[f1999.txt]'));
    store.applyFeedEvent(items(6, { running: 1, succeeded: 1, failed: 1, pending: 1_997 }));
    run = store.run('r1')!;
    assert.equal(run.items?.['each']?.stale, true, 'a failed unit the window lacks now leads');
    assert.deepEqual(run.summary.stageCounts, {
      succeeded: 2,
      pending: 1_998,
      running: 2,
      failed: 1,
    });
    assert.deepEqual(
      run.stages.map((s) => s.id),
      ['fetch', 'each', 'report'],
      'units heard of in events are not added to the run',
    );
  });

  it('redraws an expanded fanned-out stage’s changed item rows, not the whole run', () => {
    const store = new ServerMirror();
    store.setSnapshot(snapshot({ seq: 1, stages: fanOutRun(300, () => 'pending') }));
    store.setItemWindow(
      'r1',
      'each',
      freshWindow(
        unitsOf(100, () => 'pending'),
        '100',
      ),
    );
    const model = new RunTreeModel(store);
    const memory = new TreeMemory();
    const draw = (node: TreeNode): void => memory.drew(node, model.describe(node, 10_000)!);
    const run = model.intern({ kind: 'run', runId: 'r1' });
    const pipelineNode = model.parent(run)!;
    memory.listed(undefined, model.children());
    memory.listed(pipelineNode, model.children(pipelineNode));
    draw(pipelineNode);
    draw(run);
    const top = model.children(run);
    memory.listed(run, top);
    top.forEach(draw);
    const items = model.children(EACH);
    memory.listed(model.intern(EACH), items);
    items.forEach(draw);
    store.applyFeedEvent({
      kind: 'stageProgress',
      seq: 2,
      runId: 'r1',
      time: 6_000,
      stage: 'each[f3.txt]',
      attempt: 1,
      progress: { percent: 50 },
    });
    const update = memory.updateForRun(model, 'r1', 10_000);
    assert.equal(update.kind, 'nodes');
    assert.deepEqual(
      update.kind === 'nodes' ? update.nodes : [],
      [],
      'a pending item’s progress does not change how it is drawn',
    );
    store.applyFeedEvent({
      kind: 'stageStatusChanged',
      seq: 3,
      runId: 'r1',
      time: 6_000,
      stage: 'each[f3.txt]',
      attempt: 1,
      status: 'running',
      maxAttempts: 1,
      unitOf: 'each',
    });
    const next = memory.updateForRun(model, 'r1', 10_000);
    assert.deepEqual(
      next.kind === 'nodes' ? next.nodes : next,
      [model.intern({ kind: 'stage', runId: 'r1', stageId: 'each[f3.txt]' })],
      'only the item that started is redrawn (its window is read again for the new order)',
    );
  });
});
