import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { RunState } from '@baton/core';
import { historyEntryOf } from '../../src/store/historyEntry';
import { readHistoryPage } from '../../src/store/historyPages';
import type { HistoryItem } from '../../src/store/historyPages';
import { newRunId } from '../../src/store/runId';
import { RunStore } from '../../src/store/runStore';
import { finishedRun, writeGeneratedRuns, writeRunFolder } from '../helpers/generatedRuns';
import { makeTempDir } from './helpers';

function idsOf(items: readonly HistoryItem[]): string[] {
  return items.map((item) => item.runId);
}

/** Every page of a query, following the cursors. */
async function allPages(
  store: RunStore,
  query: { pipelineId?: string; limit: number },
): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await readHistoryPage(store, { ...query, ...(cursor ? { cursor } : {}) });
    pages.push(idsOf(page.items));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return pages;
}

describe('run history pages (history.json entries)', function () {
  this.timeout(120000);
  let dir: string;
  let cleanup: () => void;
  let store: RunStore;
  let ids: string[];

  before(async () => {
    ({ dir, cleanup } = makeTempDir('baton-history-'));
    store = new RunStore(dir);
    // 1,000 runs of three pipelines, one second apart.
    ids = await writeGeneratedRuns(dir, 1000, ['alpha', 'beta', 'gamma']);
  });

  after(() => cleanup());

  it('pages through 1,000 runs newest first, each run once, in pages of 50', async () => {
    const pages = await allPages(store, { limit: 50 });
    assert.equal(pages.length, 20);
    assert.ok(pages.every((page) => page.length === 50));
    assert.deepEqual(pages.flat(), [...ids].reverse());
  });

  it("pages through one pipeline's runs only, with its entries' names, numbers and times", async () => {
    const pages = await allPages(store, { pipelineId: 'beta', limit: 50 });
    const beta = ids.filter((_, index) => index % 3 === 1).reverse();
    assert.deepEqual(pages.flat(), beta);
    assert.equal(pages.length, Math.ceil(beta.length / 50));
    const first = await readHistoryPage(store, { pipelineId: 'beta', limit: 2 });
    const item = first.items[0];
    assert.ok(item && 'entry' in item);
    assert.equal(item.state, undefined, 'a stopped run is answered from its entry alone');
    assert.equal(item.entry.pipelineName, 'Pipeline beta');
    assert.equal(item.entry.number, 333);
    assert.equal(item.entry.status, 'succeeded');
    assert.deepEqual(item.entry.stageCounts, { succeeded: 2 });
    assert.ok(item.entry.endedAt! > item.entry.startedAt!);
    assert.deepEqual(first.warnings, []);
  });

  it('keeps the next page stable when a new run appears between two pages', async () => {
    const first = await readHistoryPage(store, { limit: 50 });
    const newer = finishedRun(
      'alpha',
      newRunId(Date.UTC(2027, 0, 1), () => 0.1),
      999,
      Date.UTC(2027, 0, 1),
    );
    await writeRunFolder(dir, newer);
    try {
      const second = await readHistoryPage(store, { limit: 50, cursor: first.nextCursor! });
      assert.deepEqual(idsOf(second.items), [...ids].reverse().slice(50, 100));
      const fresh = await readHistoryPage(store, { limit: 1 });
      assert.deepEqual(idsOf(fresh.items), [newer.runId]);
    } finally {
      await fs.rm(path.join(dir, 'runs', newer.runId), { recursive: true });
    }
  });

  it('says there is no next page after the last run', async () => {
    const oldest = ids.slice(0, 3).reverse();
    const page = await readHistoryPage(store, { limit: 3, cursor: ids[3]! });
    assert.deepEqual(idsOf(page.items), oldest);
    assert.equal(page.nextCursor, undefined);
    const empty = await readHistoryPage(store, { limit: 3, cursor: ids[0]! });
    assert.deepEqual(empty.items, []);
  });

  it('refuses a cursor that is not a run id', async () => {
    await assert.rejects(readHistoryPage(store, { limit: 3, cursor: '../etc' }), /invalid run id/);
  });
});

describe('run history: missing, damaged and stale entries', function () {
  this.timeout(60000);
  let dir: string;
  let cleanup: () => void;
  let store: RunStore;
  let ids: string[];

  beforeEach(async () => {
    ({ dir, cleanup } = makeTempDir('baton-history-faults-'));
    store = new RunStore(dir);
    ids = await writeGeneratedRuns(dir, 5, ['demo']);
  });

  afterEach(() => cleanup());

  const entryFile = (runId: string): string => path.join(dir, 'runs', runId, 'history.json');

  it('falls back to run.json for a damaged entry, warns naming it, and rebuilds it', async () => {
    const runId = ids[2]!;
    await fs.writeFile(entryFile(runId), '{"version":1,"runId":');
    const page = await readHistoryPage(store, { limit: 10 });
    assert.deepEqual(await page.rebuilding, []);
    assert.deepEqual(idsOf(page.items), [...ids].reverse());
    const item = page.items.find((i) => i.runId === runId);
    assert.ok(item && 'entry' in item);
    assert.equal(item.entry.status, 'succeeded');
    assert.equal(page.warnings.length, 1);
    assert.match(
      page.warnings[0]!,
      new RegExp(`history entry of run ${runId} is damaged \\(it is not valid JSON`),
    );
    const rebuilt = JSON.parse(await fs.readFile(entryFile(runId), 'utf8')) as unknown;
    const state = await store.readCheckpoint(runId);
    assert.deepEqual(rebuilt, historyEntryOf(state));
    const again = await readHistoryPage(store, { limit: 10 });
    assert.deepEqual(again.warnings, [], 'the rebuilt entry is used next time');
  });

  it('never answers from an entry of another run or a wrong status: those count as damaged', async () => {
    const runId = ids[1]!;
    const other = JSON.parse(await fs.readFile(entryFile(ids[0]!), 'utf8')) as Record<
      string,
      unknown
    >;
    await fs.writeFile(entryFile(runId), JSON.stringify(other));
    await fs.writeFile(
      entryFile(ids[3]!),
      JSON.stringify({ ...other, runId: ids[3], status: 'done' }),
    );
    const page = await readHistoryPage(store, { limit: 10 });
    assert.equal(page.warnings.length, 2);
    assert.match(page.warnings.join('\n'), /its "runId" is/);
    assert.match(page.warnings.join('\n'), /"status" is not a run status/);
    for (const item of page.items) {
      assert.ok('entry' in item);
      assert.equal(item.entry.runId, item.runId);
      assert.equal(item.entry.status, 'succeeded');
    }
  });

  it('rebuilds missing entries (runs from before entries existed) with one warning', async () => {
    for (const runId of ids) await fs.rm(entryFile(runId));
    const page = await readHistoryPage(store, { limit: 10 });
    assert.equal(page.items.length, 5);
    assert.equal(page.warnings.length, 1);
    assert.match(page.warnings[0]!, /rebuilt the missing history entries of 5 run\(s\)/);
    await page.rebuilding;
    for (const runId of ids) await fs.access(entryFile(runId));
  });

  it('reads run.json for a run whose entry says it is active, so a stale entry never answers', async () => {
    const runId = ids[4]!;
    const state = await store.readCheckpoint(runId);
    // As if the owner died between writing the stopped checkpoint and the stopped entry.
    const stale = { ...historyEntryOf(state), status: 'running', stageCounts: {}, openPrompts: 0 };
    delete (stale as { endedAt?: number }).endedAt;
    await fs.writeFile(entryFile(runId), JSON.stringify(stale));
    const page = await readHistoryPage(store, { limit: 1 });
    const item = page.items[0];
    assert.ok(item && 'entry' in item);
    assert.equal(item.entry.status, 'succeeded');
    assert.ok(item.state, 'run.json was read');
  });

  it('leaves a missing entry of an active run to its owner, and answers from run.json', async () => {
    const runId = ids[4]!;
    const { endedAt: _ended, ...rest } = await store.readCheckpoint(runId);
    await fs.writeFile(
      path.join(dir, 'runs', runId, 'run.json'),
      JSON.stringify({ ...rest, status: 'running' }),
    );
    await fs.rm(entryFile(runId));
    const page = await readHistoryPage(store, { limit: 1 });
    await page.rebuilding;
    const item = page.items[0];
    assert.ok(item && 'entry' in item);
    assert.equal(item.entry.status, 'running');
    assert.deepEqual(page.warnings, []);
    await assert.rejects(fs.access(entryFile(runId)), 'no entry written for an active run');
  });

  it('lists a run whose run.json is unreadable with its error, under its pipeline', async () => {
    const runId = ids[0]!;
    await fs.writeFile(path.join(dir, 'runs', runId, 'run.json'), 'not json');
    await fs.rm(entryFile(runId));
    const page = await readHistoryPage(store, { limit: 10 });
    const item = page.items.find((i) => i.runId === runId);
    assert.ok(item && 'error' in item);
    assert.match(item.error, /not valid JSON/);
    const filtered = await readHistoryPage(store, { limit: 10, pipelineId: 'demo' });
    assert.equal(
      filtered.items.length,
      4,
      'its pipeline is unknown, so a filtered page leaves it out',
    );
  });

  it('the owner writes the entry with the checkpoint: active first, stopped after', async () => {
    const state = finishedRun(
      'demo',
      newRunId(Date.UTC(2026, 5, 1), () => 0.3),
      6,
      Date.UTC(2026, 5, 1),
    );
    await store.createRun(state.runId);
    const { endedAt: _ended, ...rest } = state;
    const queued: RunState = { ...rest, status: 'running' };
    await store.writeCheckpoint(state.runId, queued);
    const active = JSON.parse(await fs.readFile(entryFile(state.runId), 'utf8')) as {
      status: string;
      stageCounts: object;
    };
    assert.equal(active.status, 'running');
    assert.deepEqual(
      active.stageCounts,
      {},
      'an active entry holds nothing that changes while it runs',
    );
    const before = (await fs.stat(entryFile(state.runId))).mtimeMs;
    await store.writeCheckpoint(state.runId, { ...queued, seq: queued.seq + 1 });
    assert.equal(
      (await fs.stat(entryFile(state.runId))).mtimeMs,
      before,
      'unchanged entry not rewritten',
    );
    await store.writeCheckpoint(state.runId, state);
    const stopped = JSON.parse(await fs.readFile(entryFile(state.runId), 'utf8')) as unknown;
    assert.deepEqual(stopped, historyEntryOf(state));
  });
});
