import * as assert from 'node:assert/strict';
import { planResume } from '../../src/index';
import { effectsOf, pipelineOf, RunDriver, spawned, stageSpec } from './harness';

const remote = { executor: 'bullmq', id: 'run-1:b:1', where: 'queue gpu', detached: true };

function started(): RunDriver {
  const run = new RunDriver(
    pipelineOf([stageSpec('a'), stageSpec('b', { timeoutMs: 5000 }), stageSpec('c')]),
  );
  run.start();
  run.send({ type: 'stageStarted', stage: 'a', attempt: 1, pid: 41 });
  run.send({ type: 'stageStarted', stage: 'b', attempt: 1, handle: remote });
  return run;
}

describe('run: re-attaching to a detached attempt on resume', () => {
  it('records the handle on stageStarted and refuses a second start of the attempt', () => {
    const run = started();
    assert.deepEqual(run.stage('b').handle, remote);
    assert.match(
      run.reject({ type: 'stageStarted', stage: 'b', attempt: 1, handle: remote }),
      /already reported started/,
    );
  });

  it('plans attach for an interrupted detached attempt and rerun for a local one', () => {
    const run = started();
    run.send({ type: 'runInterrupted', reason: 'the engine was killed' });
    const plan = planResume(run.state);
    assert.deepEqual(
      plan.stages.map((step) => [step.stage, step.action]),
      [
        ['a', 'rerun'],
        ['b', 'attach'],
        ['c', 'rerun'],
      ],
    );
    assert.match(
      plan.stages[1]?.reason ?? '',
      /left running on queue gpu \(bullmq job run-1:b:1\)/,
    );
  });

  it('keeps the attempt live on resume: attachStage instead of a new spawn, timers anew', () => {
    const run = started();
    run.send({ type: 'runInterrupted', reason: 'the engine was killed' });
    run.advance(60_000);
    const effects = run.send({ type: 'runResumed', interactive: false });
    // The launch is the attempt's spawnStage again, for an executor that never received it.
    assert.deepEqual(effectsOf(effects, 'attachStage'), [
      {
        type: 'attachStage',
        stage: 'b',
        attempt: 1,
        handle: remote,
        launch: { command: 'echo b', env: {} },
      },
    ]);
    assert.deepEqual(effectsOf(effects, 'startTimer'), [
      {
        type: 'startTimer',
        timer: { kind: 'stageTimeout', stage: 'b', attempt: 1 },
        at: run.now + 5000,
      },
    ]);
    assert.ok(!spawned(effects).includes('b'), 'the attached stage is not started again');
    assert.equal(run.status('b'), 'running');
    assert.equal(run.stage('b').attempt, 1);
    assert.equal(run.stage('b').maxAttempts, 1);
    run.exit('b');
    assert.equal(run.status('b'), 'succeeded');
  });

  it('re-runs a detached attempt when it was being stopped, or when forced', () => {
    const stopped = started();
    stopped.send({ type: 'cancelRequested' });
    stopped.send({ type: 'runInterrupted', reason: 'the engine was killed' });
    assert.equal(planResume(stopped.state).stages[1]?.action, 'rerun');
    const forced = started();
    forced.send({ type: 'runInterrupted', reason: 'the engine was killed' });
    assert.equal(planResume(forced.state, { rerun: ['b'] }).stages[1]?.action, 'rerun');
  });

  it('records which worker took the attempt, and refuses a claim of a local one', () => {
    const run = started();
    run.send({ type: 'stageClaimed', stage: 'b', attempt: 1, where: 'worker w2 on gpu-1' });
    assert.deepEqual(run.stage('b').handle, { ...remote, where: 'worker w2 on gpu-1' });
    assert.match(
      run.reject({ type: 'stageClaimed', stage: 'a', attempt: 1, where: 'x' }),
      /no executor handle/,
    );
  });

  it('forgets the handle when the next attempt starts', () => {
    const run = started();
    run.send({ type: 'runInterrupted', reason: 'gone' });
    run.send({ type: 'runResumed', interactive: false, rerun: ['b'] });
    assert.equal(run.stage('b').handle, undefined);
  });

  it('keeps what holds a remote attempt up until it passes, the claim, the exit or a resume', () => {
    const run = started();
    const noWorker = { kind: 'noWorker', queue: 'gpu' } as const;
    run.send({ type: 'stageExecutorCondition', stage: 'b', attempt: 1, condition: noWorker });
    assert.deepEqual(run.stage('b').executorCondition, noWorker);
    run.send({ type: 'stageClaimed', stage: 'b', attempt: 1, where: 'worker w2 on gpu-1' });
    assert.equal(run.stage('b').executorCondition, undefined, 'a worker took it');
    const down = { kind: 'unreachable', executor: 'bullmq at redis://q:6379', since: 5 } as const;
    run.send({ type: 'stageExecutorCondition', stage: 'b', attempt: 1, condition: down });
    assert.deepEqual(run.stage('b').executorCondition, down);
    run.send({ type: 'stageExecutorCondition', stage: 'b', attempt: 1 });
    assert.equal(run.stage('b').executorCondition, undefined, 'back');
    const weather = { kind: 'weather' } as unknown as typeof down;
    assert.match(
      run.reject({ type: 'stageExecutorCondition', stage: 'b', attempt: 1, condition: weather }),
      /no known condition/,
    );
    run.send({ type: 'stageExecutorCondition', stage: 'b', attempt: 1, condition: down });
    run.send({ type: 'runInterrupted', reason: 'the engine was killed' });
    run.send({ type: 'runResumed', interactive: false });
    assert.equal(run.stage('b').executorCondition, undefined, 'the new engine reports afresh');
    run.send({ type: 'stageExecutorCondition', stage: 'b', attempt: 1, condition: down });
    run.exit('b');
    assert.equal(run.stage('b').executorCondition, undefined, 'ended');
  });
});
