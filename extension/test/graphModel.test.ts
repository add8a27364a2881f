import * as assert from 'node:assert/strict';
import { commandTarget } from '../src/model/commandArgs';
import { pipelineGraph, runGraph } from '../src/model/graphModel';
import { runViewFromSnapshot } from '../src/model/runView';
import { pipeline, snapshot, stage } from './builders';

describe('Pipeline graph model', () => {
  it('lays a pipeline out left to right by its needs, one box per stage', () => {
    const graph = pipelineGraph(
      pipeline({
        stages: [
          { id: 'fetch', needs: [] },
          { id: 'left', needs: ['fetch'] },
          { id: 'right', needs: ['fetch'] },
          { id: 'join', needs: ['left', 'right'] },
        ],
      }),
    );
    const x = (id: string): number => graph.nodes.find((n) => n.stage === id)!.x;
    assert.ok(x('fetch') < x('left') && x('left') < x('join'), 'needs come first');
    assert.equal(x('left'), x('right'), 'siblings share a column');
    assert.deepEqual(graph.edges.map((e) => `${e.from}>${e.to}`).sort(), [
      'fetch>left',
      'fetch>right',
      'left>join',
      'right>join',
    ]);
    assert.ok(graph.edges.every((e) => e.points.length >= 2));
    assert.equal(graph.nodes[0]?.key, 'planned:build/fetch');
    assert.ok(graph.width > 0 && graph.height > 0);
  });

  it('shows an invalid file’s problems instead of an empty graph', () => {
    const graph = pipelineGraph(
      pipeline({
        valid: false,
        diagnostics: [
          {
            file: '/ws/build.pipeline.yaml',
            line: 2,
            column: 1,
            severity: 'error',
            code: 'yaml',
            message: 'bad indentation',
          },
        ],
      }),
    );
    assert.deepEqual(graph.nodes, []);
    assert.deepEqual(graph.problems, ['2:1 bad indentation']);
  });

  it('colours a run’s stages by status, up to date apart from succeeded', () => {
    const run = runViewFromSnapshot(
      snapshot({
        status: 'running',
        stages: [
          stage('fetch', { status: 'succeeded', upToDate: 'old' }),
          stage('build', { status: 'running', attempt: 1, needs: ['fetch'] }),
          stage('test', { status: 'pending', needs: ['build'] }),
        ],
      }),
    );
    const graph = runGraph(run, 0);
    assert.deepEqual(
      graph.nodes.map((n) => [n.stage, n.tone, n.word]),
      [
        ['fetch', 'upToDate', 'up to date'],
        ['build', 'running', 'running'],
        ['test', 'queued', 'pending'],
      ],
    );
    assert.equal(graph.runId, 'r1');
    assert.equal(graph.active, true);
    assert.deepEqual(
      graph.nodes.map((n) => n.retryable),
      [false, false, false],
    );
    assert.equal(graph.nodes[1]?.key, 'stage:r1/build');
  });

  it('reads a graph box’s right-click context as the stage it stands for', () => {
    const box = {
      webview: 'baton.graph',
      webviewSection: 'stage',
      batonStage: 'build',
      batonPipeline: 'make',
      batonRun: 'r7',
      batonRetryable: true,
    };
    assert.deepEqual(commandTarget([box]), { pipelineId: 'make', stageId: 'build', runId: 'r7' });
    const planned = { webviewSection: 'stage', batonStage: 'build', batonPipeline: 'make' };
    assert.deepEqual(commandTarget([planned]), { pipelineId: 'make', stageId: 'build' });
  });
});
