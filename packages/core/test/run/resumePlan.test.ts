import * as assert from 'node:assert/strict';
import { planResume } from '../../src/index';
import { pipelineOf, RunDriver, stageSpec } from './harness';

const RETRY = { attempts: 2, backoffMs: 1000, factor: 1, maxBackoffMs: 1000, jitter: 0 };

describe('run: resume plans in detail', () => {
  it('says why a run that is queued, running or succeeded cannot be resumed', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a')]));
    assert.equal(planResume(run.state).reason, 'the run has not started yet; start it instead');
    run.start();
    assert.equal(planResume(run.state).reason, 'the run is still running');
    run.exit('a');
    assert.equal(
      planResume(run.state).reason,
      'the run succeeded; start a new run to run it again',
    );
    assert.equal(planResume(run.state).resumable, false);
  });

  it('names what each stage did: failed, waiting to retry, never started', () => {
    const run = new RunDriver(
      pipelineOf([
        stageSpec('a'),
        stageSpec('b', { retry: RETRY }),
        stageSpec('c', { needs: ['a'] }),
      ]),
    );
    run.start();
    run.exit('b', 1);
    run.exit('a', 2);
    run.send({ type: 'runInterrupted', reason: 'gone' });
    assert.deepEqual(planResume(run.state).stages, [
      { stage: 'a', action: 'rerun', reason: 'failed in attempt 1: exited with code 2' },
      {
        stage: 'b',
        action: 'rerun',
        reason: 'was waiting to retry after attempt 1: exited with code 1; attempt 2 of 2 in 1s',
      },
      {
        stage: 'c',
        action: 'run',
        reason: "never started: not run: it needs 'a', which failed",
      },
    ]);
  });

  it('plans a forced stage that never started as a run, not a re-run', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a'), stageSpec('b', { needs: ['a'] })]));
    run.start();
    run.exit('a', 1);
    assert.deepEqual(planResume(run.state, { rerun: ['a'] }).stages, [
      { stage: 'a', action: 'rerun', reason: 're-run requested' },
      { stage: 'b', action: 'run', reason: "depends on 'a', which runs again" },
    ]);
  });

  it('names an up-to-date stage by the run whose success it reused', () => {
    const run = new RunDriver(
      pipelineOf([stageSpec('a', { outputs: ['out.txt'] }), stageSpec('b')]),
    );
    run.start();
    run.send({
      type: 'stageChecked',
      stage: 'a',
      fingerprint: 'f',
      action: 'skip',
      reason: 'up to date',
      reuse: { runId: 'run-0', outputs: {}, digest: 'd' },
    });
    run.exit('b', 1);
    assert.deepEqual(planResume(run.state).stages[0], {
      stage: 'a',
      action: 'skip',
      reason: 'up to date (reused the success of run run-0)',
    });
  });

  it('says where a detached attempt was left running only when its handle says', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a')]));
    run.start();
    const handle = { executor: 'bullmq', id: 'job-1', detached: true };
    run.send({ type: 'stageStarted', stage: 'a', attempt: 1, handle });
    run.send({ type: 'runInterrupted', reason: 'gone' });
    assert.equal(
      planResume(run.state).stages[0]?.reason,
      'attempt 1 was left running (bullmq job job-1): re-attach to it',
    );
  });

  it('forces every stage downstream of a re-run, whatever order they are declared in', () => {
    const run = new RunDriver(
      pipelineOf([
        stageSpec('c', { needs: ['b'] }),
        stageSpec('b', { needs: ['a'] }),
        stageSpec('a'),
      ]),
    );
    run.start();
    run.exit('a');
    run.exit('b');
    run.exit('c', 1);
    assert.deepEqual(
      planResume(run.state, { rerun: ['a'] }).stages.map((step) => [step.stage, step.reason]),
      [
        ['c', "depends on 'b', which runs again"],
        ['b', "depends on 'a', which runs again"],
        ['a', 're-run requested'],
      ],
    );
  });

  it('names a stage running when the plan is asked for, and every unknown stage in rerun', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a')]));
    run.start();
    assert.deepEqual(planResume(run.state).stages, [
      { stage: 'a', action: 'rerun', reason: 'was running attempt 1' },
    ]);
    run.exit('a', 1);
    assert.equal(
      planResume(run.state, { rerun: ['x', 'y'] }).reason,
      "unknown stage 'x', 'y' in rerun",
    );
  });

  it('says a stage cancelled before it started never started', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a'), stageSpec('b', { needs: ['a'] })]));
    run.start();
    run.send({ type: 'cancelRequested' });
    run.exit('a');
    assert.deepEqual(planResume(run.state).stages[1], {
      stage: 'b',
      action: 'run',
      reason: 'never started (cancelled before it could)',
    });
  });

  it('names a stage that ran and was waiting for a slot to retry as not finished after its attempt', () => {
    const run = new RunDriver(
      pipelineOf([stageSpec('a', { retry: RETRY }), stageSpec('b')], { concurrency: 1 }),
    );
    run.start();
    run.exit('a', 1);
    run.send({ type: 'timerFired', timer: { kind: 'retryDue', stage: 'a', attempt: 1 } });
    assert.equal(run.status('a'), 'ready', 'b holds the only slot');
    run.send({ type: 'runInterrupted', reason: 'gone' });
    assert.deepEqual(planResume(run.state).stages[0], {
      stage: 'a',
      action: 'rerun',
      reason: 'did not finish after attempt 1: exited with code 1; attempt 2 of 2 in 1s',
    });
  });
});
