import * as assert from 'node:assert/strict';
import type { StageSnapshot } from '@baton/protocol';
import { DAGRE_LIMIT, layeredLayout, layoutOf } from '../src/model/graphLayout';
import { pipelineGraph, runGraph } from '../src/model/graphModel';
import { graphMessage } from '../src/model/graphUpdates';
import { runViewFromSnapshot } from '../src/model/runView';
import { pipeline, snapshot, stage } from './builders';

/** A pipeline of `n` stages: a tree where each stage needs the one `fanIn` places before it, plus a join every 50. */
function manyStages(n: number): { id: string; needs: string[] }[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `s${i}`,
    needs:
      i === 0
        ? []
        : i % 50 === 0
          ? [`s${Math.floor((i - 1) / 3)}`, `s${i - 1}`]
          : [`s${Math.floor((i - 1) / 3)}`],
  }));
}

describe('Pipeline graph at scale, and fanned-out stages', () => {
  it('draws a fanned-out stage as one box with its item counts and bands, its units not drawn', () => {
    const units: StageSnapshot[] = Array.from({ length: 500 }, (_, i) =>
      stage(`each[${i}]`, {
        unitOf: 'each',
        status: i < 100 ? 'succeeded' : i < 105 ? 'failed' : i < 108 ? 'running' : 'pending',
      }),
    );
    const run = runViewFromSnapshot(
      snapshot({
        status: 'running',
        stages: [
          stage('fetch', { status: 'succeeded' }),
          ...units,
          stage('each', {
            status: 'running',
            needs: ['fetch'],
            items: { total: 500, counts: { succeeded: 100, failed: 5, running: 3, pending: 392 } },
          }),
          stage('report', { needs: ['each'] }),
        ],
      }),
    );
    const graph = runGraph(run, 10_000);
    assert.deepEqual(
      graph.nodes.map((n) => n.stage),
      ['fetch', 'each', 'report'],
    );
    const each = graph.nodes.find((n) => n.stage === 'each');
    assert.equal(each?.detail, '100/500 · 5 failed · 3 running');
    assert.deepEqual(each?.items, { done: 100, failed: 5, running: 3, queued: 392, total: 500 });
    assert.equal(each?.fanOut, true);
    assert.deepEqual(graph.edges.map((e) => `${e.from}>${e.to}`).sort(), [
      'each>report',
      'fetch>each',
    ]);
  });

  it('marks a stage the file declares fanned out, before any run', () => {
    const graph = pipelineGraph(
      pipeline({ stages: [{ id: 'each', needs: [], fanOut: 'foreach' }] }),
    );
    assert.equal(graph.nodes[0]?.fanOut, true);
    assert.equal(graph.nodes[0]?.detail, 'fans out (foreach)');
  });

  it('lays out 10,000 stages in columns by their needs, without dagre, and only once per shape', () => {
    const boxes = manyStages(10_000);
    const started = process.hrtime.bigint();
    const layout = layoutOf(boxes);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    // A measurement, not a limit (timings belong in the bench): printed for the record.
    console.log(`      layout of 10,000 stages: ${ms.toFixed(0)} ms`);
    assert.ok(boxes.length > DAGRE_LIMIT);
    assert.equal(layout.positions.size, 10_000);
    for (const box of boxes)
      for (const need of box.needs)
        assert.ok(
          layout.positions.get(need)!.x < layout.positions.get(box.id)!.x,
          `${need} is left of ${box.id}`,
        );
    const distinct = new Set([...layout.positions.values()].map((p) => `${p.x},${p.y}`));
    assert.equal(distinct.size, 10_000, 'no two boxes overlap');
    assert.equal(
      layout.edges.length,
      boxes.reduce((n, b) => n + b.needs.length, 0),
    );
    assert.equal(layoutOf(manyStages(10_000)), layout, 'the same shape reuses its layout');
  });

  it('posts a 10,000-stage graph once, then only the boxes whose look changed', () => {
    const stages = manyStages(10_000).map((s) => stage(s.id, { needs: s.needs }));
    const before = runGraph(runViewFromSnapshot(snapshot({ status: 'running', stages })), 10_000);
    assert.equal(graphMessage(undefined, before)?.type, 'graph');
    const after = runGraph(
      runViewFromSnapshot(
        snapshot({
          status: 'running',
          stages: stages.map((s) => (s.id === 's42' ? { ...s, status: 'failed' as const } : s)),
        }),
      ),
      10_000,
    );
    const message = graphMessage(before, after);
    assert.equal(message?.type, 'update');
    assert.deepEqual(
      message?.type === 'update' ? message.nodes.map((n) => [n.stage, n.tone]) : [],
      [['s42', 'failed']],
    );
    assert.equal(graphMessage(after, after), undefined, 'nothing changed, nothing posted');
  });

  it('cuts cycles and ignores needs of stages that do not exist, instead of hanging', () => {
    const layout = layeredLayout([
      { id: 'a', needs: ['c'] },
      { id: 'b', needs: ['a', 'ghost'] },
      { id: 'c', needs: ['b'] },
    ]);
    assert.equal(layout.positions.size, 3);
  });
});
