import * as assert from 'node:assert/strict';
import { openDraft, stageOf, updateStage } from '../../src/run/draft';
import { shortHash } from '../../src/run/fanOutItems';
import { settleGather } from '../../src/run/gather';
import { effectsOf, pipelineOf, RunDriver, spawned, stageSpec } from './harness';

const TWO = { axes: { n: ['1', '2'] }, include: [], exclude: [] };

describe('run: a fanned-out stage gathering its units', () => {
  it('is skipped when every unit was skipped', () => {
    const run = new RunDriver(pipelineOf([stageSpec('m', { matrix: TWO, if: 'false' })]));
    run.start();
    assert.equal(run.status('m'), 'skipped');
    assert.equal(run.stage('m').reason, 'every item was skipped');
    assert.equal(run.stage('m').endedAt, run.now);
  });

  it('hands on each output as a list in unit order, and a digest over the units', () => {
    const run = new RunDriver(
      pipelineOf([stageSpec('m', { matrix: TWO, failFast: false, continueOnError: true })]),
    );
    run.start();
    run.exit('m[1]', 1, { digest: 'd1', outputs: { b: 'x' } });
    assert.equal(run.status('m'), 'pending', 'it waits for every unit');
    run.exit('m[2]', 0, { digest: 'd2', outputs: { b: 'y', a: 'z' } });
    const m = run.stage('m');
    assert.equal(m.status, 'failed');
    assert.equal(m.reason, '1 of 2 items failed');
    assert.deepEqual(m.outputs, { a: '[null,"z"]', b: '["x","y"]' });
    assert.deepEqual(Object.keys(m.outputs), ['a', 'b']);
    // A failed unit counts as "failed", whatever digest it reported.
    assert.equal(m.digest, `items:${shortHash('failed\nd2')}:2`);
  });

  it('has no digest when a unit has none', () => {
    const run = new RunDriver(pipelineOf([stageSpec('m', { matrix: TWO })]));
    run.start();
    run.exit('m[1]', 0, { digest: 'd1' });
    run.exit('m[2]', 0);
    assert.equal(run.status('m'), 'succeeded');
    assert.equal(run.stage('m').digest, undefined);
    assert.deepEqual(run.stage('m').outputs, {});
  });
  it('lets the other units run after a failure with fail_fast: false, and then fails', () => {
    const three = { axes: { n: ['1', '2', '3'] }, include: [], exclude: [] };
    const run = new RunDriver(
      pipelineOf([stageSpec('m', { matrix: three, failFast: false })], { concurrency: 1 }),
    );
    run.start();
    assert.deepEqual(spawned(run.exit('m[1]', 1)), ['m[2]']);
    run.exit('m[2]');
    run.exit('m[3]');
    assert.equal(run.status('m'), 'failed');
    assert.equal(run.stage('m').reason, '1 of 3 items failed');
  });

  it('skips the units waiting for pools after a failure (fail_fast), saying why', () => {
    const three = { axes: { n: ['1', '2', '3'] }, include: [], exclude: [] };
    const run = new RunDriver(
      pipelineOf([stageSpec('m', { matrix: three, resources: { gpu: 1 } })], {
        pools: { gpu: 4 },
        concurrency: 2,
      }),
    );
    run.start();
    run.send({ type: 'slotsAcquired', stage: 'm[1]', attempt: 1 });
    assert.deepEqual(
      ['m[1]', 'm[2]', 'm[3]'].map((id) => run.status(id)),
      ['running', 'waitingForPool', 'waitingForPool'],
    );
    const effects = run.exit('m[1]', 1);
    assert.deepEqual(
      effectsOf(effects, 'releaseSlots')
        .map((e) => e.stage)
        .sort(),
      ['m[1]', 'm[2]', 'm[3]'],
    );
    for (const id of ['m[2]', 'm[3]']) {
      assert.equal(run.status(id), 'skipped');
      assert.equal(run.stage(id).reason, "not run: another item of 'm' failed and fail_fast is on");
    }
    assert.equal(run.status('m'), 'failed');
  });
  it('skips the units still waiting for their up-to-date check after a failure (fail_fast)', () => {
    const three = { axes: { n: ['1', '2', '3'] }, include: [], exclude: [] };
    const run = new RunDriver(pipelineOf([stageSpec('m', { matrix: three, deps: ['x'] })]));
    run.start();
    run.send({ type: 'stageChecked', stage: 'm[1]', fingerprint: 'f', action: 'run', reason: 'r' });
    assert.equal(run.status('m[1]'), 'running');
    assert.deepEqual(
      ['m[2]', 'm[3]'].map((id) => run.status(id)),
      ['pending', 'pending'],
      'the others wait for their checks',
    );
    run.exit('m[1]', 1);
    for (const id of ['m[2]', 'm[3]']) {
      assert.equal(run.status(id), 'skipped');
      assert.equal(run.stage(id).reason, "not run: another item of 'm' failed and fail_fast is on");
    }
    assert.equal(run.status('m'), 'failed');
  });

  it('settles only a pending gathering stage whose units all ended, cancelled when one was', () => {
    const run = new RunDriver(pipelineOf([stageSpec('m', { matrix: TWO })]));
    run.start();
    const draft = openDraft(run.state, run.now);
    assert.equal(settleGather(draft, 'm'), false, 'its units still run');
    updateStage(draft, 'm[1]', (s) => {
      s.status = 'cancelled';
    });
    updateStage(draft, 'm[2]', (s) => {
      s.status = 'succeeded';
    });
    assert.equal(settleGather(draft, 'm'), true);
    assert.equal(stageOf(draft, 'm').status, 'cancelled');
    assert.equal(stageOf(draft, 'm').reason, '1 of 2 items were cancelled');
    assert.equal(settleGather(draft, 'm'), false, 'a stage that is not pending stays as it is');
  });

  it('counts a unit waiting for an answer against max_parallel', () => {
    const run = new RunDriver(
      pipelineOf([
        stageSpec('list'),
        stageSpec('each', {
          needs: ['list'],
          foreach: '${{ stages.list.outputs.papers }}',
          maxParallel: 1,
        }),
      ]),
    );
    run.start();
    assert.deepEqual(spawned(run.exit('list', 0, { outputs: { papers: '["a","b"]' } })), [
      'each[a]',
    ]);
    const effects = run.send({
      type: 'promptOpened',
      promptId: 'go',
      stage: 'each[a]',
      attempt: 1,
      message: 'Go?',
      promptType: 'confirm',
    });
    assert.equal(run.status('each[a]'), 'waiting');
    assert.deepEqual(spawned(effects), []);
    assert.equal(run.status('each[b]'), 'ready');
  });
});
