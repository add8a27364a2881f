import * as assert from 'node:assert/strict';
import type { StageSpec } from '../../src/index';
import { effectsOf, pipelineOf, RunDriver, stageSpec } from './harness';

const RETRY = { attempts: 3, backoffMs: 1000, factor: 1, maxBackoffMs: 1000, jitter: 0 };

/** A run of stages `a` (retried) and `b` (needs `a`), with `a` waiting to retry after attempt 1. */
function retrying(over: Partial<StageSpec> = {}): RunDriver {
  const run = new RunDriver(
    pipelineOf([stageSpec('a', { retry: RETRY, ...over }), stageSpec('b', { needs: ['a'] })]),
  );
  run.start();
  run.exit('a', 1);
  assert.equal(run.status('a'), 'retrying');
  return run;
}

const retryTimer = { kind: 'retryDue', stage: 'a', attempt: 1 } as const;

describe('run: run events in detail', () => {
  it('names the status of a run that has already started', () => {
    const run = retrying();
    assert.equal(run.reject({ type: 'runStarted' }), 'the run has already started (it is running)');
  });

  it("cancels a retry's timer and says what each idle stage was doing", () => {
    const run = retrying();
    const effects = run.send({ type: 'cancelRequested', reason: 'stop it' });
    assert.deepEqual(effectsOf(effects, 'cancelTimer'), [
      { type: 'cancelTimer', timer: retryTimer },
    ]);
    assert.equal(run.stage('a').reason, 'cancelled while waiting to retry after attempt 1');
    assert.equal(Object.hasOwn(run.stage('a'), 'retryAt'), false);
    assert.equal(run.stage('b').reason, 'cancelled before it started');
    assert.equal(run.state.status, 'cancelled');
    assert.equal(run.state.reason, 'stop it');
  });

  it('cancels with a plain reason when none is given, and kills what runs', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a')]));
    run.start();
    const effects = run.send({ type: 'cancelRequested' });
    assert.deepEqual(effectsOf(effects, 'killStage'), [
      { type: 'killStage', stage: 'a', attempt: 1, reason: 'cancel' },
    ]);
    assert.equal(run.stage('a').reason, 'being cancelled (attempt 1)');
    assert.equal(run.state.reason, 'cancelled by request');
    assert.equal(run.state.cancelRequested, true);
  });

  it("cancels a retry's timer when the run is interrupted, and ends its live stages then", () => {
    const run = retrying();
    run.advance(300);
    const effects = run.send({ type: 'runInterrupted', reason: 'gone' });
    assert.deepEqual(effectsOf(effects, 'cancelTimer'), [
      { type: 'cancelTimer', timer: retryTimer },
    ]);
    assert.equal(run.state.endedAt, run.now);
    assert.equal(run.state.reason, 'gone');
    const live = new RunDriver(pipelineOf([stageSpec('a', { timeoutMs: 5000 })]));
    live.start();
    live.advance(300);
    const stopped = live.send({ type: 'runInterrupted', reason: 'gone' });
    assert.equal(live.stage('a').endedAt, live.now);
    assert.deepEqual(effectsOf(stopped, 'cancelTimer'), [
      { type: 'cancelTimer', timer: { kind: 'stageTimeout', stage: 'a', attempt: 1 } },
    ]);
  });

  it('counts the time a run ran before a resume, and its resumes', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a')]));
    run.start();
    run.advance(1500);
    run.exit('a', 1);
    run.advance(60_000);
    run.send({ type: 'runResumed', interactive: true });
    assert.equal(run.state.earlierRanMs, 1500);
    assert.equal(run.state.resumes, 1);
    assert.equal(run.state.resumedAt, run.now);
    for (const key of ['endedAt', 'reason', 'cancelRequested'] as const) {
      assert.equal(Object.hasOwn(run.state, key), false, key);
    }
    run.advance(500);
    run.exit('a', 1);
    run.send({ type: 'runResumed', interactive: false });
    assert.equal(run.state.earlierRanMs, 2000);
    assert.equal(run.state.resumes, 2);
    assert.equal(run.state.interactive, false);
  });

  it('forgets the stop request of a cancelled run it resumes', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a')]));
    run.start();
    run.send({ type: 'cancelRequested' });
    run.exit('a');
    assert.equal(run.state.status, 'cancelled');
    run.send({ type: 'runResumed', interactive: true });
    assert.equal(Object.hasOwn(run.state, 'cancelRequested'), false);
    assert.equal(run.status('a'), 'running', 'a resumed run schedules again');
  });

  it('names why a run cannot resume', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a')]));
    run.start();
    run.exit('a', 1);
    assert.equal(
      run.reject({ type: 'runResumed', interactive: true, rerun: ['zz'] }),
      "cannot resume: unknown stage 'zz' in rerun",
    );
  });

  it('gives a re-attached attempt a fresh retry budget and each of its timers its own delay', () => {
    const remote = { executor: 'bullmq', id: 'job-a', detached: true };
    const spec = { retry: RETRY, timeoutMs: 5000, idleTimeoutMs: 2000 };
    const run = new RunDriver(pipelineOf([stageSpec('a', spec)]));
    run.start();
    run.send({ type: 'stageStarted', stage: 'a', attempt: 1, handle: remote });
    run.send({ type: 'runInterrupted', reason: 'the engine was killed' });
    run.advance(60_000);
    const effects = run.send({ type: 'runResumed', interactive: false });
    assert.equal(run.stage('a').maxAttempts, 3);
    assert.deepEqual(effectsOf(effects, 'startTimer'), [
      {
        type: 'startTimer',
        timer: { kind: 'stageTimeout', stage: 'a', attempt: 1 },
        at: run.now + 5000,
      },
      {
        type: 'startTimer',
        timer: { kind: 'idleCheck', stage: 'a', attempt: 1 },
        at: run.now + 2000,
      },
    ]);
  });

  it('does not cancel the timers of an attempt a kill already stopped when the run is interrupted', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a', { timeoutMs: 5000 })]));
    run.start();
    run.send({ type: 'cancelRequested' });
    const effects = run.send({ type: 'runInterrupted', reason: 'gone' });
    assert.deepEqual(effectsOf(effects, 'cancelTimer'), []);
  });

  it('closes an open prompt as interrupted when the run is interrupted', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a')]));
    run.start();
    run.send({
      type: 'promptOpened',
      promptId: 'q',
      stage: 'a',
      attempt: 1,
      message: 'Q?',
      promptType: 'text',
    });
    const effects = run.send({ type: 'runInterrupted', reason: 'gone' });
    assert.deepEqual(effectsOf(effects, 'closePrompt'), [
      { type: 'closePrompt', promptId: 'a/q', by: 'interrupted' },
    ]);
  });

  it('cancels a stage that is ready but waits for a concurrency slot, so it never starts', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a'), stageSpec('b')]), {
      defaultConcurrency: 1,
    });
    run.start();
    assert.equal(run.status('b'), 'ready');
    run.send({ type: 'cancelRequested' });
    assert.equal(run.status('b'), 'cancelled');
    assert.equal(run.stage('b').reason, 'cancelled before it started');
    run.exit('a');
    assert.equal(run.state.status, 'cancelled');
    assert.equal(run.status('b'), 'cancelled');
  });
});
