import * as assert from 'node:assert/strict';
import type { RunComparison } from '@baton/protocol';
import { commandTarget } from '../src/model/commandArgs';
import { CommandIds } from '../src/model/commandIds';
import { comparePath, comparisonMarkdown, signedDuration } from '../src/model/comparisonMarkdown';
import { HISTORY_ACTIONS, historyRows } from '../src/model/historyItems';
import { ServerMirror } from '../src/model/serverMirror';
import { RUNS_PER_PIPELINE, RunTreeModel } from '../src/model/treeModel';
import { pipeline, summary } from './builders';

describe('History: "Show more…" in the tree and the paged picker rows', () => {
  function treeWith(count: number, older = false): { model: RunTreeModel; store: ServerMirror } {
    const store = new ServerMirror();
    store.setPipelines([pipeline()]);
    store.addSummaries(
      Array.from({ length: count }, (_, i) =>
        summary({ runId: `r${i}`, pipeline: pipeline().id, createdAt: i }),
      ),
    );
    store.setHasOlderRuns(older);
    return { model: new RunTreeModel(store), store };
  }

  it('adds "Show more…" after the newest runs only when there are more', () => {
    const id = pipeline().id;
    const pipelineNode = { kind: 'pipeline', pipelineId: id } as const;
    assert.equal(treeWith(3).model.children(pipelineNode).length, 3);
    assert.equal(
      treeWith(RUNS_PER_PIPELINE).model.children(pipelineNode).length,
      RUNS_PER_PIPELINE,
    );
    const cut = treeWith(RUNS_PER_PIPELINE, true).model.children(pipelineNode);
    assert.deepEqual(cut.at(-1), { kind: 'history', pipelineId: id }, 'the server has older runs');
    const { model } = treeWith(RUNS_PER_PIPELINE + 1);
    const rows = model.children(pipelineNode);
    assert.equal(rows.length, RUNS_PER_PIPELINE + 1);
    const more = rows.at(-1)!;
    const view = model.describe(more, 0)!;
    assert.equal(view.label, 'Show more…');
    assert.equal(view.command?.command, CommandIds.showHistory);
    assert.deepEqual(commandTarget([...(view.command?.arguments ?? [])]), { pipelineId: id });
    assert.deepEqual(model.parent(more), pipelineNode);
  });

  it('lists runs newest first with status, run time and start, then "Load more…" while a cursor remains', () => {
    const runs = [
      summary({ runId: 'r2', number: 2, status: 'succeeded', startedAt: 1000, endedAt: 3500 }),
      summary({
        runId: 'r1',
        number: 1,
        status: 'failed',
        startedAt: 0,
        endedAt: 400,
        reason: 'exit 1',
      }),
    ];
    const rows = historyRows(runs, 'r1', 10_000);
    assert.deepEqual(
      rows.map((row) => [row.label, row.description]),
      [
        ['Build #2', 'succeeded · ran 2s'],
        ['Build #1', 'failed · ran 400ms'],
        ['$(history) Load more…', 'older runs than these 2'],
      ],
    );
    assert.match(rows[1]!.detail!, /r1 · exit 1$/);
    assert.deepEqual(rows[2]!.value, { kind: 'loadMore', cursor: 'r1' });
    assert.equal(historyRows(runs, undefined, 0).length, 2, 'no "Load more…" on the last page');
  });

  it('offers commands that exist for a run picked from the history', () => {
    const ids = new Set<string>(Object.values(CommandIds));
    for (const action of HISTORY_ACTIONS) assert.ok(ids.has(action.command), action.command);
  });
});

describe('Compare with Previous Run: the Markdown of two runs side by side', () => {
  const base = summary({
    runId: '20260101-000000-000-aaaa',
    pipelineName: 'Literature review',
    number: 13,
    status: 'succeeded',
    startedAt: 0,
    endedAt: 3000,
    ranMs: 3000,
  });
  const run = summary({
    runId: '20260102-000000-000-bbbb',
    pipelineName: 'Literature review',
    number: 14,
    status: 'failed',
    startedAt: 0,
    endedAt: 4500,
    ranMs: 4500,
  });
  const comparison: RunComparison = {
    run,
    base,
    inputs: [
      { input: 'pillars', base: 'core', run: 'ALL', changed: true },
      { input: 'depth', base: 3, run: 3, changed: false },
    ],
    stages: [
      {
        stage: 'fetch',
        base: { status: 'succeeded', durationMs: 1000, attempts: 1, upToDate: false, outputs: {} },
        run: { status: 'succeeded', attempts: 0, upToDate: true, outputs: {} },
        changed: true,
      },
      {
        stage: 'summarise',
        base: {
          status: 'succeeded',
          durationMs: 2000,
          attempts: 1,
          upToDate: false,
          outputs: { papers: '38' },
        },
        run: {
          status: 'failed',
          durationMs: 3500,
          attempts: 2,
          upToDate: false,
          outputs: { papers: '41 | more' },
        },
        deltaMs: 1500,
        changed: true,
      },
    ],
  };

  it('shows the runs, the changed input, statuses with up to date, durations with the difference, and outputs', () => {
    const text = comparisonMarkdown(comparison, 0);
    assert.match(text, /^# Literature review #14 compared with #13$/m);
    assert.match(text, /^\| ran \| 3s \| 4s \| \+1s \|$/m);
    assert.match(text, /^\| status \| succeeded \| failed \| ● \|$/m);
    assert.match(text, /^\| `pillars` \| core \| ALL \| ● \|$/m);
    assert.match(text, /^\| `depth` \| 3 \| 3 \| {2}\|$/m);
    assert.match(text, /^\| `fetch` \| succeeded \| up to date \| 1s \| — \| {2}\| ● \|$/m);
    assert.match(
      text,
      /^\| `summarise` \| succeeded \| failed \| 2s \| 3s \(2 attempts\) \| \+1s \| ● \|$/m,
    );
    // A pipe in a value cannot break the table.
    assert.match(text, /^\| `summarise` \| `papers` \| 38 \| 41 \\\| more \| ● \|$/m);
  });

  it('says so for the first run of a pipeline, and names documents by both runs', () => {
    const text = comparisonMarkdown({ run, inputs: [], stages: [] }, 0);
    assert.match(text, /is the first run of Literature review: there is no earlier run/);
    assert.equal(comparePath('r/2', 'r1'), '/r%2F2/r1/Compare.md');
    assert.equal(comparePath('r2', undefined), '/r2/first/Compare.md');
  });

  it('signs differences: slower +, faster −, the same ±0', () => {
    assert.deepEqual(
      [signedDuration(1500), signedDuration(-850), signedDuration(0)],
      ['+1s', '−850ms', '±0ms'],
    );
  });
});
