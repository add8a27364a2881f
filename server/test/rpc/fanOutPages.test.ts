import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as P from '@baton/protocol';
import { paramsOf, until } from './serverHarness';
import { useWorkspaceServer } from './workspaceServer';

const ITEMS = 2000;
/** The items (0-based `BATON_ITEM_INDEX`) that fail; every other one succeeds. */
const FAILING = [5, 1500, 1999];

// Zero-padded names: the glob lists them in index order.
const PIPELINE = `name: Wide
concurrency: 8
stages:
  each:
    foreach: "items/*.txt"
    fail_fast: false
    run: case " ${FAILING.join(' ')} " in *" $BATON_ITEM_INDEX "*) exit 3;; esac
`;

const unitId = (index: number): string => `each[items%2F${String(index).padStart(4, '0')}.txt]`;

describe('a 2,000-item fan-out over the wire: getRun counts, listItems pages', function () {
  this.timeout(600_000);
  const fx = useWorkspaceServer('fan-pages', 'wide', PIPELINE);

  const changes = (): P.DidChangeRunParams[] =>
    paramsOf<P.DidChangeRunParams>(fx.server, 'baton/didChangeRun');
  const request = <M extends keyof P.ServerRequests>(
    method: M,
    params: P.ServerRequests[M]['params'],
  ): Promise<P.ServerRequests[M]['result']> => fx.server.client.sendRequest(method, params);

  /** Every page of the stage's units, `limit` at a time; each page's ids. */
  async function allPages(runId: string, limit: number): Promise<string[][]> {
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await request(P.ListItemsMethod, {
        runId,
        stage: 'each',
        limit,
        ...(cursor === undefined ? {} : { cursor }),
      });
      assert.equal(page.counts.total, ITEMS);
      pages.push(page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return pages;
  }

  it('answers counts and the few failed and running units while it runs, then every unit once by page, failed first', async () => {
    await fs.mkdir(path.join(fx.dir, 'items'));
    for (let index = 0; index < ITEMS; index++) {
      const name = `${String(index).padStart(4, '0')}.txt`;
      await fs.writeFile(path.join(fx.dir, 'items', name), `${index}\n`);
    }
    const { runId } = await request(P.StartRunMethod, { pipeline: 'wide', interactive: false });

    // While it runs: one failed item behind it, and items under way.
    await until(
      () =>
        changes().some((c) => c.stages.some((s) => s.id === unitId(5) && s.status === 'failed')),
      300_000,
      'item 5 to fail',
    );
    const live = await request(P.GetRunMethod, { runId });
    assert.equal(live.partialUnits, true);
    const each = live.stages.find((stage) => stage.id === 'each');
    assert.equal(each?.items?.total, ITEMS);
    const units = live.stages.filter((stage) => stage.unitOf === 'each');
    assert.ok(units.length <= P.SNAPSHOT_UNITS_PER_STAGE, `${units.length} units listed`);
    assert.ok(
      units.every((unit) => P.itemGroupOf(unit.status) < 2),
      'only failed and running units are listed',
    );
    assert.ok(units.some((unit) => unit.id === unitId(5) && unit.status === 'failed'));
    const counted = Object.values(live.stageCounts).reduce((sum, count) => sum + count, 0);
    assert.equal(counted, ITEMS + 1, 'stageCounts counts every unit and the stage');
    const first = await request(P.ListItemsMethod, { runId, stage: 'each', limit: 10 });
    assert.equal(first.items[0]?.id, unitId(5), 'the failed item leads the first page');
    const groups = first.items.map((item) => P.itemGroupOf(item.status));
    assert.deepEqual(groups, [...groups].sort(), 'failed, then running, then the rest');
    const liveSum = Object.values(first.counts.counts).reduce((sum, count) => sum + count, 0);
    assert.equal(liveSum, ITEMS, 'the counts add up to every item while it runs');
    assert.ok(first.nextCursor !== undefined);

    await until(
      () => changes().some((c) => c.run.runId === runId && P.isStoppedRunStatus(c.run.status)),
      500_000,
      'the run to end',
    );
    const pages = await allPages(runId, 300);
    assert.deepEqual(
      pages.map((page) => page.length),
      [300, 300, 300, 300, 300, 300, 200],
    );
    const ids = pages.flat();
    assert.equal(new Set(ids).size, ITEMS, 'every unit exactly once');
    assert.deepEqual(ids.slice(0, 3), FAILING.map(unitId), 'the failed units first, in order');
    const rest = ids.slice(3);
    const expected = Array.from({ length: ITEMS }, (_, index) => index)
      .filter((index) => !FAILING.includes(index))
      .map(unitId);
    assert.deepEqual(rest, expected, 'then the rest in declaration order');
    const last = await request(P.ListItemsMethod, { runId, stage: 'each', limit: 1 });
    assert.deepEqual(last.counts, { total: ITEMS, counts: { failed: 3, succeeded: ITEMS - 3 } });

    const full = await request(P.GetRunMethod, { runId, allUnits: true, recentEvents: 0 });
    assert.equal(full.stages.length, ITEMS + 1);
    assert.equal(full.partialUnits, undefined);
    const ended = await request(P.GetRunMethod, { runId, recentEvents: 0 });
    assert.deepEqual(
      ended.stages.map((stage) => stage.id),
      [...FAILING.map(unitId), 'each'],
      'an ended run lists its failed units before their stage',
    );
  });

  it('refuses a stage that does not fan out and a cursor that is not one', async () => {
    await fs.writeFile(
      path.join(fx.dir, 'plain.pipeline.yaml'),
      'name: Plain\nstages:\n  only: { run: "true" }\n',
    );
    const { runId } = await request(P.StartRunMethod, {
      pipeline: 'plain.pipeline.yaml',
      interactive: false,
    });
    await until(
      () => changes().some((c) => c.run.runId === runId && P.isStoppedRunStatus(c.run.status)),
      60_000,
      'the plain run to end',
    );
    await assert.rejects(request(P.ListItemsMethod, { runId, stage: 'only' }), (error) => {
      assert.equal((error as { code: number }).code, P.ErrorCodes.StageNotFound);
      return true;
    });
    await assert.rejects(
      request(P.ListItemsMethod, { runId, stage: 'only', cursor: 'x' }),
      (error) => {
        assert.equal((error as { code: number }).code, P.ErrorCodes.InvalidParams);
        return true;
      },
    );
  });
});
