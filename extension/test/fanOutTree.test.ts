import * as assert from 'node:assert/strict';
import type { BatonEvent, StageSnapshot, StageStatus } from '@baton/protocol';
import { itemCountsText } from '@baton/protocol';
import { itemBands } from '../src/model/itemBands';
import { ITEM_PAGE } from '../src/model/itemGroups';
import { itemLabel } from '../src/model/itemRows';
import { ServerMirror } from '../src/model/serverMirror';
import type { TreeNode } from '../src/model/treeModel';
import { RunTreeModel } from '../src/model/treeModel';
import { TreeMemory } from '../src/model/treeUpdates';
import { snapshot, stage } from './builders';

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

  it('draws a fanned-out stage as one row with counts, its items under it', () => {
    const store = new ServerMirror();
    store.setSnapshot(
      snapshot({
        stages: fanOutRun(40, (i) => (i < 12 ? 'succeeded' : i < 14 ? 'failed' : 'pending')),
      }),
    );
    const model = new RunTreeModel(store);
    const run: TreeNode = { kind: 'run', runId: 'r1' };
    assert.match(
      model.describe(run, 10_000)?.description ?? '',
      / · 1\/3 · 43% · /,
      'the run counts the fanned-out stage once, its items as its progress',
    );
    assert.deepEqual(labels(model, model.children(run)), ['fetch', 'each', 'report']);
    const row = model.describe(EACH, 10_000);
    assert.match(row?.description ?? '', /^12\/40 · 2 failed · 35%$/);
    assert.equal(row?.collapsible, 'collapsed');
    assert.equal(row?.contextValue, 'stage.fanOut');
    const items = model.children(EACH);
    assert.equal(items.length, 40);
    assert.deepEqual(labels(model, items.slice(0, 3)), ['[f12.txt]', '[f13.txt]', '[f0.txt]']);
    const failed = model.describe(items[0]!, 10_000);
    assert.equal(failed?.contextValue, 'item');
    assert.deepEqual(failed?.command?.arguments, ['r1', 'each[f12.txt]']);
    assert.deepEqual(model.parent(items[0]!), EACH);
  });

  it('pages 10,000 items: failed and running first, then “Show more” a page at a time', () => {
    const store = new ServerMirror();
    const statusOf = (i: number): StageStatus =>
      i === 9_999 ? 'failed' : i === 5_000 ? 'running' : i < 3_000 ? 'succeeded' : 'pending';
    store.setSnapshot(snapshot({ status: 'running', stages: fanOutRun(10_000, statusOf) }));
    const model = new RunTreeModel(store);
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
    page = model.children(EACH);
    assert.equal(page.length, 2 * ITEM_PAGE + 1);
  });

  it('offers Retry Failed Items on an ended run’s fanned-out stage with failed items', () => {
    const store = new ServerMirror();
    const stages = fanOutRun(3, (i) => (i === 1 ? 'failed' : 'succeeded')).map((s) =>
      s.id === 'each' ? { ...s, status: 'failed' as const } : s,
    );
    store.setSnapshot(snapshot({ status: 'failed', stages }));
    const model = new RunTreeModel(store);
    assert.equal(model.describe(EACH, 10_000)?.contextValue, 'stage.fanOut.retryable.failedItems');
    const [failedItem] = model.children(EACH);
    assert.equal(model.describe(failedItem!, 10_000)?.contextValue, 'item.retryable');
  });

  it('keeps counts and positions per event without re-reading the run, and groups units first heard of in events', () => {
    const store = new ServerMirror();
    store.setSnapshot(snapshot({ seq: 1, stages: fanOutRun(2_000, () => 'pending') }));
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
    store.applyFeedEvent(event(2, 'running', 'each[f7.txt]'));
    store.applyFeedEvent(event(3, 'succeeded', 'each[f7.txt]'));
    store.applyFeedEvent(event(4, 'failed', 'each[new.txt]'));
    const run = store.run('r1')!;
    assert.deepEqual(run.summary.stageCounts, {
      succeeded: 2,
      pending: 2_000,
      running: 1,
      failed: 1,
    });
    const model = new RunTreeModel(store);
    const labelsOfRun = labels(model, model.children({ kind: 'run', runId: 'r1' }));
    assert.deepEqual(labelsOfRun, ['fetch', 'each', 'report'], 'the new unit is grouped too');
    assert.equal(labels(model, model.children(EACH))[0], '[new.txt]');
  });

  it('redraws an expanded fanned-out stage’s changed item rows, not the whole run', () => {
    const store = new ServerMirror();
    store.setSnapshot(snapshot({ seq: 1, stages: fanOutRun(300, () => 'pending') }));
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
    // A running item moves to the front of the page: the fanned-out row is redrawn with its items.
    assert.deepEqual(next.kind === 'nodes' ? next.nodes : next, [model.intern(EACH)]);
  });
});
