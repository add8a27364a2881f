import * as assert from 'node:assert/strict';
import type { RunPlan } from '@baton/protocol';
import { runPlanRows, runPlanSummary, selectionTitle, skipsSomething } from '../src/model/runPlan';
import { ServerMirror } from '../src/model/serverMirror';
import { stageLenses } from '../src/model/stageLenses';
import { RunTreeModel } from '../src/model/treeModel';
import { event, pipeline, runChange, snapshot, stage, summary } from './builders';

const REASON = 'up to date: unchanged since run 20261204-101500-000-a1b2';

describe('Up-to-date stages and run plans in the editor', () => {
  it('draws an up-to-date stage with its own icon and word, and the reason in the tooltip', () => {
    const store = new ServerMirror();
    store.setSnapshot(
      snapshot({
        status: 'succeeded',
        stages: [
          stage('fetch', { status: 'succeeded', attempt: 0, upToDate: 'old', plan: REASON }),
          stage('build', {
            status: 'succeeded',
            attempt: 1,
            startedAt: 0,
            endedAt: 2000,
            plan: 'deps changed: src/a.c',
          }),
        ],
      }),
    );
    const model = new RunTreeModel(store);
    const fetch = model.describe({ kind: 'stage', runId: 'r1', stageId: 'fetch' }, 5000);
    assert.equal(fetch?.description, 'up to date');
    assert.equal(fetch?.icon.id, 'check-all');
    assert.match(fetch?.tooltip ?? '', /^\*\*fetch\*\* · up to date/);
    assert.match(fetch?.tooltip ?? '', /Plan: up to date: unchanged since run/);
    const build = model.describe({ kind: 'stage', runId: 'r1', stageId: 'build' }, 5000);
    assert.equal(build?.description, '2s');
    assert.equal(build?.icon.id, 'pass-filled');
    assert.match(build?.tooltip ?? '', /Plan: deps changed: src\/a\.c/);
  });

  it('takes plan and upToDate from live stage events, and clears them when absent', () => {
    const store = new ServerMirror();
    store.setSnapshot(snapshot({ status: 'running', stages: [stage('fetch')] }));
    store.applyRunChange(
      runChange(
        [
          event(20, {
            kind: 'stageStatusChanged',
            stage: 'fetch',
            attempt: 0,
            status: 'succeeded',
            maxAttempts: 1,
            plan: REASON,
            upToDate: 'old',
          }),
        ],
        summary({ status: 'running' }),
      ),
    );
    const fetch = store.run('r1')?.stages[0];
    assert.equal(fetch?.upToDate, 'old');
    assert.equal(fetch?.plan, REASON);
    store.applyRunChange(
      runChange(
        [
          event(21, {
            kind: 'stageStatusChanged',
            stage: 'fetch',
            attempt: 1,
            status: 'running',
            maxAttempts: 1,
          }),
        ],
        summary({ status: 'running' }),
      ),
    );
    assert.equal(store.run('r1')?.stages[0]?.upToDate, undefined);
    assert.equal(store.run('r1')?.stages[0]?.plan, undefined);
  });

  it('summarises a run plan and lists each step with its reason', () => {
    const plan: RunPlan = {
      steps: [
        { stage: 'fetch', action: 'skip', reason: REASON },
        { stage: 'build', action: 'run', reason: 'deps changed: src/a.c' },
        { stage: 'deploy', action: 'unselected', reason: 'not selected' },
      ],
      warnings: [],
    };
    assert.equal(skipsSomething(plan), true);
    assert.equal(runPlanSummary(plan), '1 to run, 1 up to date, 1 not selected');
    assert.deepEqual(runPlanRows(plan)[0], {
      label: '$(check-all) fetch',
      description: 'up to date',
      detail: REASON,
    });
    assert.equal(skipsSomething({ steps: [plan.steps[1]!], warnings: [] }), false);
    assert.equal(runPlanSummary({ steps: [], warnings: [] }), 'nothing to do');
  });

  it('names what a selection runs', () => {
    assert.equal(selectionTitle('Review', {}), 'Run Review');
    assert.equal(selectionTitle('Review', { stages: ['build'] }), 'Run build of Review');
    assert.equal(selectionTitle('Review', { from: 'build' }), 'Run Review from build');
    assert.equal(
      selectionTitle('Review', { stages: ['build'], force: ['build'] }),
      'Force Run build of Review',
    );
  });

  it('puts three CodeLenses above each declared stage of a valid pipeline file, none on an invalid one', () => {
    const file = pipeline({
      stages: [
        { id: 'compile', needs: [], line: 3, column: 3 },
        { id: 'test', needs: ['compile'], line: 7, column: 3 },
      ],
    });
    const lenses = stageLenses(file);
    assert.deepEqual(
      lenses.map((lens) => `${lens.line} ${lens.command}`),
      [
        '2 baton.runStage',
        '2 baton.runFromStage',
        '2 baton.forceRun',
        '6 baton.runStage',
        '6 baton.runFromStage',
        '6 baton.forceRun',
      ],
    );
    assert.deepEqual(lenses[3]?.arguments, [
      { kind: 'plannedStage', pipelineId: 'build', stageId: 'test' },
    ]);
    assert.deepEqual(stageLenses({ ...file, valid: false }), []);
  });
});
