import * as assert from 'node:assert/strict';
import { CommandIds } from '../src/model/commandIds';
import { ServerMirror } from '../src/model/serverMirror';
import type { TreeNode } from '../src/model/treeModel';
import { RUNS_PER_PIPELINE, RunTreeModel, stageDescription } from '../src/model/treeModel';
import { pipeline, prompt, snapshot, stage, summary } from './builders';

function labels(model: RunTreeModel, nodes: TreeNode[]): string[] {
  return nodes.map((node) => model.describe(node, 10_000)?.label ?? '?');
}

describe('RunTreeModel', () => {
  it('draws pipelines → runs → open prompts and stages', () => {
    const store = new ServerMirror();
    store.setPipelines([pipeline()]);
    store.setSnapshot(
      snapshot({
        stages: [stage('compile', { status: 'succeeded' }), stage('deploy', { status: 'waiting' })],
      }),
    );
    store.openPrompt({ ...prompt(), seq: 20 });
    const model = new RunTreeModel(store);
    const [pipelineNode] = model.children();
    assert.ok(pipelineNode);
    assert.deepEqual(labels(model, [pipelineNode]), ['Build']);
    const runs = model.children(pipelineNode);
    const runRow = model.describe(runs[0]!, 10_000);
    assert.equal(runRow?.label, 'Build ·r1', 'a run without a number is named by its id');
    assert.match(runRow?.description ?? '', /^running · 1\/2 · 50% · since \d\d:\d\d:\d\d$/);
    const children = model.children(runs[0]);
    assert.deepEqual(labels(model, children), [
      'Answer: Overwrite the results?',
      'compile',
      'deploy',
    ]);
    const promptView = model.describe(children[0]!, 10_000);
    assert.equal(promptView?.contextValue, 'prompt');
    assert.equal(promptView?.description, 'deploy · default false');
    assert.deepEqual(promptView?.command?.arguments, ['r1', 'p1']);
    assert.deepEqual(model.parent(children[0]!), runs[0]);
    assert.deepEqual(model.children(children[2]), []);
  });

  it('spins running things and colours finished ones', () => {
    const store = new ServerMirror();
    store.setSnapshot(snapshot());
    const model = new RunTreeModel(store);
    const run = model.describe({ kind: 'run', runId: 'r1' }, 5000);
    assert.equal(run?.icon.id, 'sync~spin');
    assert.equal(run?.contextValue, 'run.active');
    assert.equal(run?.collapsible, 'expanded');
    const done = model.describe({ kind: 'stage', runId: 'r1', stageId: 'compile' }, 5000);
    assert.deepEqual(done?.icon, { id: 'pass-filled', color: 'testing.iconPassed' });
  });

  it('offers retry on failed stages of ended runs and resume on failed runs', () => {
    const store = new ServerMirror();
    store.setSnapshot(
      snapshot({
        status: 'failed',
        stages: [stage('test', { status: 'failed', exitCode: 3, attempt: 1 })],
      }),
    );
    const model = new RunTreeModel(store);
    assert.equal(model.describe({ kind: 'run', runId: 'r1' }, 0)?.contextValue, 'run.resumable');
    const test = model.describe({ kind: 'stage', runId: 'r1', stageId: 'test' }, 0);
    assert.equal(test?.contextValue, 'stage.retryable');
    assert.match(test?.description ?? '', /exit 3/);
  });

  it('shows an invalid pipeline with an error icon, its problem count and first problem, opening the file there', () => {
    const store = new ServerMirror();
    store.setPipelines([
      pipeline({
        valid: false,
        diagnostics: [
          {
            file: '/ws/build.pipeline.yaml',
            line: 4,
            column: 3,
            severity: 'error',
            code: 'unknown-key',
            message: 'Unknown key "stgaes"',
          },
        ],
      }),
    ]);
    const model = new RunTreeModel(store);
    const view = model.describe({ kind: 'pipeline', pipelineId: 'build' }, 0);
    assert.equal(view?.icon.id, 'error');
    assert.equal(view?.label, 'Build');
    assert.equal(view?.contextValue, 'pipeline.invalid');
    assert.equal(view?.description, '1 problem · 4:3 Unknown key "stgaes"');
    assert.deepEqual(view?.command, {
      command: CommandIds.openPipelineFile,
      title: 'Open Pipeline File',
      arguments: ['/ws/build.pipeline.yaml', 4, 3],
    });
  });

  it('keeps runs of a removed pipeline file and caps runs per pipeline', () => {
    const store = new ServerMirror();
    store.addSummaries(
      Array.from({ length: RUNS_PER_PIPELINE + 5 }, (_, i) =>
        summary({ runId: `r${i}`, pipeline: 'gone', createdAt: i }),
      ),
    );
    const model = new RunTreeModel(store);
    const roots = model.children();
    assert.deepEqual(roots, [{ kind: 'pipeline', pipelineId: 'gone' }]);
    assert.equal(model.describe(roots[0]!, 0)?.description, 'file removed');
    const runs = model.children(roots[0]);
    // The newest runs, then "Show more…" for the rest of the history.
    assert.equal(runs.length, RUNS_PER_PIPELINE + 1);
    assert.deepEqual(runs[0], { kind: 'run', runId: `r${RUNS_PER_PIPELINE + 4}` });
    assert.deepEqual(runs.at(-1), { kind: 'history', pipelineId: 'gone' });
  });

  it('shows a loading row for a run whose stages are not loaded yet', () => {
    const store = new ServerMirror();
    store.addSummaries([summary()]);
    const model = new RunTreeModel(store);
    assert.deepEqual(model.children({ kind: 'run', runId: 'r1' }), [
      { kind: 'loading', runId: 'r1' },
    ]);
  });
});

describe('stageDescription', () => {
  it('shows attempt, progress and start time of a running stage', () => {
    const text = stageDescription(
      stage('t', {
        status: 'running',
        attempt: 2,
        maxAttempts: 3,
        progress: { percent: 42.4, message: 'epoch 3' },
        startedAt: 0,
      }),
      60_000,
    );
    assert.match(text, /^attempt 2\/3 · 42% epoch 3 · since \d\d:\d\d:\d\d$/);
  });

  it('shows how long a running stage usually takes', () => {
    const text = stageDescription(
      stage('t', { status: 'running', attempt: 1, startedAt: 0, expectedMs: 90_000 }),
      1000,
    );
    assert.match(text, / · usually 1m 30s · about 1m left$/);
    const late = (now: number): string =>
      stageDescription(
        stage('t', { status: 'running', attempt: 1, startedAt: 0, expectedMs: 90_000 }),
        now,
      );
    assert.match(late(50_000), /usually 1m 30s · under a minute left$/);
    assert.match(late(95_000), /usually 1m 30s · longer than usual$/);
  });

  it('shows the duration of a finished stage', () => {
    assert.equal(
      stageDescription(stage('t', { status: 'succeeded', startedAt: 0, endedAt: 65_000 }), 0),
      '1m 05s',
    );
  });
});
