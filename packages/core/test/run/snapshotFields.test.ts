import * as assert from 'node:assert/strict';
import { snapshot } from '../../src/index';
import { pipelineOf, RunDriver, stageSpec } from './harness';

const RETRY_ONCE = { attempts: 2, backoffMs: 1000, factor: 2, maxBackoffMs: 60_000, jitter: 0 };

describe('run: snapshot fields', () => {
  it('shows only the fields a run and its stages have so far', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a'), stageSpec('b', { needs: ['a'] })]));
    const view = snapshot(run.state, run.now);
    for (const key of ['number', 'reason', 'startedAt', 'endedAt', 'durationMs']) {
      assert.equal(key in view, false, `a run not started has no ${key}`);
    }
    assert.deepEqual(Object.keys(view.stages[1] ?? {}).sort(), [
      'attempt',
      'id',
      'maxAttempts',
      'needs',
      'status',
    ]);
    assert.equal(snapshot({ ...run.state, number: 7 }, run.now).number, 7);
  });

  it('shows a stopped run’s start, end, reason and the time up to its end, whenever it is asked', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a')]));
    const t0 = run.now;
    run.start();
    run.send({ type: 'stageProgress', stage: 'a', attempt: 1, progress: { percent: 50 } });
    run.advance(1000);
    run.exit('a', 3);
    assert.equal(run.state.status, 'failed');
    const view = snapshot(run.state, run.now + 60_000);
    assert.equal(view.startedAt, t0);
    assert.equal(view.endedAt, t0 + 1000);
    assert.equal(view.durationMs, 1000, 'a stopped run ran until it stopped');
    assert.ok(run.state.reason !== undefined && run.state.reason !== '');
    assert.equal(view.reason, run.state.reason);
    const stage = view.stages[0];
    assert.equal(stage?.reason, run.state.stages.a?.reason);
    assert.ok(stage?.reason !== undefined);
    assert.equal(stage.exitCode, 3);
    assert.equal(view.percent, 0, 'a stage that failed half way did none of its work');
  });

  it('counts a running run’s time up to now, and shows a stage’s retry time and progress', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a', { retry: RETRY_ONCE })]));
    run.start();
    run.advance(1000);
    run.exit('a', 3);
    const retrying = snapshot(run.state, run.now).stages[0];
    assert.equal(retrying?.status, 'retrying');
    assert.ok(retrying.retryAt !== undefined && retrying.retryAt > run.now);
    run.advance(retrying.retryAt - run.now);
    run.send({ type: 'timerFired', timer: { kind: 'retryDue', stage: 'a', attempt: 1 } });
    assert.equal(run.stage('a').status, 'running');
    run.send({ type: 'stageProgress', stage: 'a', attempt: 2, progress: { value: 1, total: 4 } });
    const running = snapshot(run.state, run.now + 500);
    assert.deepEqual(running.stages[0]?.progress, { value: 1, total: 4 });
    assert.equal(running.durationMs, 2500, 'a running run counts up to now');
  });

  it('lists open prompts oldest first, whatever their names', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a')]));
    run.start();
    for (const promptId of ['z', 'm', 'a']) {
      run.advance(10);
      const opened = { type: 'promptOpened', promptId, stage: 'a', attempt: 1 } as const;
      run.send({ ...opened, message: 'Pick', promptType: 'text' });
    }
    assert.deepEqual(
      snapshot(run.state, run.now).prompts.map((p) => p.id),
      ['a/z', 'a/m', 'a/a'],
    );
  });

  it('lists open prompts oldest first even when the record holds them in another order', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a')]));
    run.start();
    for (const promptId of ['old', 'new']) {
      run.advance(10);
      const opened = { type: 'promptOpened', promptId, stage: 'a', attempt: 1 } as const;
      run.send({ ...opened, message: 'Pick', promptType: 'text' });
    }
    const { 'a/old': old, 'a/new': young } = run.state.prompts;
    assert.ok(old !== undefined && young !== undefined);
    // A state read back from a file written by another tool may list them newest first.
    const reordered = { ...run.state, prompts: { 'a/new': young, 'a/old': old } };
    assert.deepEqual(
      snapshot(reordered, run.now).prompts.map((p) => p.id),
      ['a/old', 'a/new'],
    );
  });

  it('shows where a remote attempt runs and what holds it up, and neither for a local one', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a'), stageSpec('b')]));
    run.start();
    const handle = { executor: 'bullmq', id: 'job-1', where: 'queue gpu' };
    run.send({ type: 'stageStarted', stage: 'a', attempt: 1, handle });
    const noWorker = { kind: 'noWorker', queue: 'gpu' } as const;
    run.send({ type: 'stageExecutorCondition', stage: 'a', attempt: 1, condition: noWorker });
    run.send({ type: 'stageStarted', stage: 'b', attempt: 1, pid: 7 });
    const [remote, local] = snapshot(run.state, run.now).stages;
    assert.equal(remote?.where, 'queue gpu');
    assert.deepEqual(remote?.executorCondition, noWorker);
    assert.equal(local !== undefined && 'where' in local, false);
    assert.equal(local !== undefined && 'executorCondition' in local, false);
  });

  it('counts a run without stages as done only when it succeeded', () => {
    const run = new RunDriver(pipelineOf([]));
    assert.equal(snapshot(run.state, run.now).percent, 0);
    run.start();
    assert.equal(run.state.status, 'succeeded');
    assert.equal(snapshot(run.state, run.now).percent, 100);
  });

  it('counts no progress for a negative total', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a')]));
    run.start();
    const progress = { value: -5, total: -10 };
    run.send({ type: 'stageProgress', stage: 'a', attempt: 1, progress });
    assert.equal(snapshot(run.state, run.now).percent, 0);
  });
});
