import * as assert from 'node:assert/strict';
import { ServerMirror } from '../src/model/serverMirror';
import { RunTreeModel } from '../src/model/treeModel';
import { TreeMemory } from '../src/model/treeUpdates';
import { event, pipeline, runChange, snapshot, stage, summary } from './builders';

const invalidDiagnostic = {
  file: '/ws/build.pipeline.yaml',
  line: 2,
  column: 1,
  severity: 'error' as const,
  code: 'yaml',
  message: 'bad indentation',
};

describe('Runs tree rows', () => {
  it('shows the stages of a pipeline that never ran, from its file', () => {
    const store = new ServerMirror();
    store.setPipelines([
      pipeline({
        stages: [
          { id: 'compile', needs: [], line: 3, column: 3 },
          { id: 'test', needs: ['compile'] },
        ],
      }),
    ]);
    const model = new RunTreeModel(store);
    const [root] = model.children();
    assert.match(model.describe(root!, 0)?.description ?? '', /2 stages · never ran/);
    const stages = model.children(root);
    assert.deepEqual(stages, [
      { kind: 'plannedStage', pipelineId: 'build', stageId: 'compile' },
      { kind: 'plannedStage', pipelineId: 'build', stageId: 'test' },
    ]);
    const test = model.describe(stages[1]!, 0);
    assert.equal(test?.description, 'needs compile');
    assert.deepEqual(model.describe(stages[0]!, 0)?.command?.arguments, [
      '/ws/build.pipeline.yaml',
      3,
      3,
    ]);
    assert.deepEqual(model.parent(stages[0]!), root);
  });

  it('keeps an invalid file under the name it last had, with an error icon and count', () => {
    const store = new ServerMirror();
    store.setPipelines([pipeline({ name: 'Nightly build' })]);
    store.setPipelines([
      pipeline({
        name: 'build',
        valid: false,
        stages: [],
        diagnostics: [invalidDiagnostic, { ...invalidDiagnostic, line: 5 }],
      }),
    ]);
    const view = new RunTreeModel(store).describe({ kind: 'pipeline', pipelineId: 'build' }, 0);
    assert.equal(view?.label, 'Nightly build');
    assert.deepEqual(view?.icon, { id: 'error', color: 'list.errorForeground' });
    assert.equal(view?.description, '2 problems · 2:1 bad indentation');
  });

  it('puts the most recently run pipeline and the newest run on top; older finished runs collapse', () => {
    const store = new ServerMirror();
    store.setPipelines([pipeline({ id: 'a', name: 'A' }), pipeline({ id: 'b', name: 'B' })]);
    store.addSummaries([
      summary({ runId: 'old', pipeline: 'b', status: 'succeeded', createdAt: 1, endedAt: 2 }),
      summary({ runId: 'new', pipeline: 'b', status: 'failed', createdAt: 5, endedAt: 6 }),
    ]);
    const model = new RunTreeModel(store);
    assert.deepEqual(model.children(), [
      { kind: 'pipeline', pipelineId: 'b' },
      { kind: 'pipeline', pipelineId: 'a' },
    ]);
    const runs = model.children({ kind: 'pipeline', pipelineId: 'b' });
    assert.deepEqual(runs, [
      { kind: 'run', runId: 'new' },
      { kind: 'run', runId: 'old' },
    ]);
    assert.equal(model.describe(runs[0]!, 10)?.collapsible, 'expanded');
    assert.equal(model.describe(runs[1]!, 10)?.collapsible, 'collapsed');
  });

  it('labels runs by name and number and keeps the run id and relative paths in the tooltip', () => {
    const store = new ServerMirror();
    store.setSnapshot(
      snapshot({
        runId: '20261204-101500-000-a1b2',
        pipelineName: 'Literature review',
        number: 14,
        changedInputs: { pillars: 'ALL' },
        file: '/ws/pipelines/review.pipeline.yaml',
        status: 'succeeded',
        startedAt: 0,
        endedAt: 2000,
        stages: [stage('fetch', { status: 'succeeded', attempt: 1, startedAt: 0, endedAt: 2000 })],
      }),
    );
    const model = new RunTreeModel(store, () => ['/ws']);
    const run = model.describe({ kind: 'run', runId: '20261204-101500-000-a1b2' }, 5000);
    assert.equal(run?.label, 'Literature review #14');
    assert.match(run?.description ?? '', /^succeeded · pillars=ALL · ran 2s · 1\/1 · 100% · /);
    assert.match(run?.tooltip ?? '', /^\*\*Literature review #14\*\* · succeeded/);
    assert.match(run?.tooltip ?? '', /Run id: `20261204-101500-000-a1b2`/);
    assert.match(run?.tooltip ?? '', /File: `pipelines\/review\.pipeline\.yaml`/);
    assert.doesNotMatch(run?.tooltip ?? '', /\/ws\//);
  });

  it('tells in a failed stage tooltip why it failed, its error and the answer it got', () => {
    const store = new ServerMirror();
    store.setSnapshot(
      snapshot({
        status: 'failed',
        stages: [
          stage('deploy', {
            status: 'failed',
            attempt: 1,
            exitCode: 2,
            startedAt: 0,
            endedAt: 3000,
          }),
        ],
        recentEvents: [
          event(3, {
            kind: 'promptOpened',
            prompt: {
              runId: 'r1',
              promptId: 'deploy/tag',
              stage: 'deploy',
              message: 'Tag?',
              type: 'text',
              openedAt: 1,
            },
          }),
          event(4, { kind: 'promptClosed', promptId: 'deploy/tag', answer: 'v1.2', by: 'rpc' }),
          event(5, {
            kind: 'annotation',
            stage: 'deploy',
            attempt: 1,
            annotation: { severity: 'error', message: 'disk full' },
          }),
        ],
      }),
    );
    const tooltip =
      new RunTreeModel(store).describe({ kind: 'stage', runId: 'r1', stageId: 'deploy' }, 9000)
        ?.tooltip ?? '';
    assert.match(tooltip, /^\*\*deploy\*\* · failed/);
    assert.match(tooltip, /took 3s/);
    assert.match(tooltip, /exit 2/);
    assert.match(tooltip, /Error: disk full/);
    assert.match(tooltip, /Asked “Tag\?”: `v1\.2` in the editor/);
  });
});

describe('TreeMemory (rows updated in place)', () => {
  function drawAll(model: RunTreeModel, memory: TreeMemory): void {
    const walk = (node?: Parameters<RunTreeModel['children']>[0]): void => {
      const children = model.children(node);
      memory.listed(node, children);
      for (const child of children) {
        const view = model.describe(child, 0);
        if (view) memory.drew(child, view);
        walk(child);
      }
    };
    walk();
  }

  it('redraws only the stage whose progress moved, not the whole tree', () => {
    const store = new ServerMirror();
    store.setPipelines([pipeline()]);
    store.setSnapshot(
      snapshot({
        seq: 1,
        stages: [
          stage('compile', { status: 'succeeded', attempt: 1 }),
          stage('test', { status: 'running', attempt: 1 }),
        ],
      }),
    );
    const model = new RunTreeModel(store);
    const memory = new TreeMemory();
    drawAll(model, memory);
    store.applyRunChange(
      runChange([
        event(2, {
          kind: 'stageProgress',
          stage: 'test',
          attempt: 1,
          progress: { percent: 40, message: 'epoch 2' },
        }),
      ]),
    );
    const update = memory.updateForRun(model, 'r1', 0);
    // VS Code finds the rows to redraw by the objects it was given: they must be the same ones.
    assert.ok(update.kind === 'nodes' && update.nodes[1] === model.children(update.nodes[0])[1]);
    assert.deepEqual(update, {
      kind: 'nodes',
      nodes: [
        { kind: 'run', runId: 'r1' },
        { kind: 'stage', runId: 'r1', stageId: 'test' },
      ],
    });
  });

  it('redraws everything when a new run changes the order of the tree', () => {
    const store = new ServerMirror();
    store.setPipelines([pipeline()]);
    store.setSnapshot(snapshot({ seq: 1 }));
    const model = new RunTreeModel(store);
    const memory = new TreeMemory();
    drawAll(model, memory);
    store.applyRunChange(
      runChange([
        event(
          2,
          {
            kind: 'runCreated',
            pipeline: 'build',
            file: '/ws/build.pipeline.yaml',
            pipelineName: 'Build',
            number: 2,
            local: true,
          },
          'r2',
        ),
      ]),
    );
    assert.deepEqual(memory.updateForRun(model, 'r2', 0), { kind: 'all' });
  });

  it('draws a finished run closed once a newer run of its pipeline exists, under an id of its own', () => {
    const store = new ServerMirror();
    store.setPipelines([pipeline()]);
    store.setSnapshot(snapshot({ seq: 1, status: 'succeeded', endedAt: 1500 }));
    const model = new RunTreeModel(store);
    const first = model.describe({ kind: 'run', runId: 'r1' }, 0);
    assert.deepEqual([first?.id, first?.collapsible], ['run:r1', 'expanded']);
    store.applyRunChange(
      runChange([
        event(
          2,
          {
            kind: 'runCreated',
            pipeline: 'build',
            file: '/ws/build.pipeline.yaml',
            pipelineName: 'Build',
            local: true,
          },
          'r2',
        ),
      ]),
    );
    const later = model.describe({ kind: 'run', runId: 'r1' }, 0);
    assert.deepEqual([later?.id, later?.collapsible], ['run:r1/closed', 'collapsed']);
  });
});
