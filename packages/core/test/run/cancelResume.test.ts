import * as assert from 'node:assert/strict';
import { planResume, replay } from '../../src/index';
import { effectsOf, pipelineOf, RunDriver, spawned, stageSpec } from './harness';

const retryTwice = { attempts: 2, backoffMs: 1000, factor: 2, maxBackoffMs: 60_000, jitter: 0 };

function chain() {
  return pipelineOf(
    [
      stageSpec('a'),
      stageSpec('b', { needs: ['a'], timeoutMs: 5000 }),
      stageSpec('c', { needs: ['b'] }),
      stageSpec('d', { retry: retryTwice }),
    ],
    { concurrency: 2 },
  );
}

describe('run: cancel', () => {
  it('kills live stages, cancels the rest and ends cancelled when the last one exits', () => {
    const run = new RunDriver(chain());
    run.start();
    run.exit('a');
    run.exit('d', 1);
    assert.equal(run.status('d'), 'retrying');
    const effects = run.send({ type: 'cancelRequested', reason: 'stopped from the editor' });
    assert.deepEqual(effectsOf(effects, 'killStage'), [
      { type: 'killStage', stage: 'b', attempt: 1, reason: 'cancel' },
    ]);
    assert.deepEqual(
      effectsOf(effects, 'cancelTimer').map((e) => e.timer.kind),
      ['retryDue', 'stageTimeout'],
    );
    assert.equal(run.status('c'), 'cancelled');
    assert.equal(run.status('d'), 'cancelled');
    assert.equal(run.state.status, 'running', 'still running until b exits');
    assert.match(run.reject({ type: 'cancelRequested' }), /already being cancelled/);
    const last = run.exit('b', 143);
    assert.equal(run.status('b'), 'cancelled');
    assert.equal(run.state.status, 'cancelled');
    assert.equal(run.state.reason, 'stopped from the editor');
    assert.deepEqual(
      effectsOf(last, 'runFinished').map((e) => e.status),
      ['cancelled'],
    );
    assert.match(run.reject({ type: 'cancelRequested' }), /already finished \(cancelled\)/);
  });

  it('asks again to kill an attempt reported started after the stop', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a')]));
    run.start();
    run.send({ type: 'cancelRequested' });
    const effects = run.send({ type: 'stageStarted', stage: 'a', attempt: 1, pid: 42 });
    assert.deepEqual(effectsOf(effects, 'killStage'), [
      { type: 'killStage', stage: 'a', attempt: 1, reason: 'cancel' },
    ]);
    run.exit('a', 143);
    assert.equal(run.state.status, 'cancelled');
  });

  it('cancels a queued run at once, and a run waiting for inputs', () => {
    const queued = new RunDriver(pipelineOf([stageSpec('a')]));
    assert.deepEqual(effectsOf(queued.send({ type: 'cancelRequested' }), 'runFinished').length, 1);
    assert.equal(queued.state.status, 'cancelled');
    assert.equal(queued.status('a'), 'cancelled');
    const waiting = new RunDriver(
      pipelineOf([stageSpec('a')], { inputs: [{ id: 'x', prompt: 'X?', type: 'text' }] }),
    );
    waiting.start();
    const effects = waiting.send({ type: 'cancelRequested' });
    assert.deepEqual(effectsOf(effects, 'closePrompt'), [
      { type: 'closePrompt', promptId: 'inputs.x', by: 'cancel' },
    ]);
    assert.equal(waiting.state.status, 'cancelled');
  });
});

describe('run: interrupt and resume', () => {
  it('interrupts a running run, then resumes it re-running only what did not finish', () => {
    const run = new RunDriver(chain());
    run.start();
    run.exit('a');
    const effects = run.send({ type: 'runInterrupted', reason: 'the server stopped' });
    assert.equal(run.state.status, 'interrupted');
    assert.deepEqual(
      effectsOf(effects, 'runFinished').map((e) => e.status),
      ['interrupted'],
    );
    assert.equal(run.status('b'), 'cancelled');
    assert.equal(run.stage('b').reason, 'interrupted while running attempt 1: the server stopped');
    run.reject({ type: 'stageExited', stage: 'b', attempt: 1, exitCode: 0, random: 0 });
    assert.deepEqual(planResume(run.state).stages, [
      { stage: 'a', action: 'skip', reason: 'succeeded in attempt 1' },
      {
        stage: 'b',
        action: 'rerun',
        reason: 'did not finish attempt 1: interrupted while running attempt 1: the server stopped',
      },
      { stage: 'c', action: 'run', reason: 'never started' },
      {
        stage: 'd',
        action: 'rerun',
        reason: 'did not finish attempt 1: interrupted while running attempt 1: the server stopped',
      },
    ]);
    const resumed = run.send({ type: 'runResumed', interactive: false });
    assert.deepEqual(spawned(resumed), ['b', 'd']);
    assert.equal(run.stage('b').attempt, 2, 'attempt numbers keep counting');
    assert.equal(run.stage('d').maxAttempts, 3, 'a fresh retry budget');
    assert.equal(run.state.interactive, false);
    assert.equal(run.status('a'), 'succeeded');
  });

  it('resumes a failed run, keeping recorded answers, and can force a re-run downstream', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a'), stageSpec('b', { needs: ['a'] })]));
    run.start();
    run.exit('a');
    run.send({
      type: 'promptOpened',
      promptId: 'ok',
      stage: 'b',
      attempt: 1,
      message: 'OK?',
      promptType: 'confirm',
    });
    run.send({ type: 'promptAnswered', promptId: 'b/ok', value: true, by: 'cli' });
    run.exit('b', 1);
    assert.equal(run.state.status, 'failed');
    const forced = planResume(run.state, { rerun: ['a'] });
    assert.deepEqual(
      forced.stages.map((s) => [s.stage, s.action, s.reason]),
      [
        ['a', 'rerun', 're-run requested'],
        ['b', 'rerun', "depends on 'a', which runs again"],
      ],
    );
    assert.deepEqual(
      planResume(run.state, { rerun: ['zz'] }).reason,
      "unknown stage 'zz' in rerun",
    );
    run.reject({ type: 'runResumed', interactive: true, rerun: ['zz'] });
    assert.deepEqual(spawned(run.send({ type: 'runResumed', interactive: true })), ['b']);
    const reasked = run.send({
      type: 'promptOpened',
      promptId: 'ok',
      stage: 'b',
      attempt: 2,
      message: 'OK?',
      promptType: 'confirm',
    });
    assert.deepEqual(effectsOf(reasked, 'closePrompt')[0]?.by, 'recorded');
    run.exit('b');
    assert.equal(run.state.status, 'succeeded');
    assert.equal(run.stage('a').attempt, 1, 'a succeeded stage is not re-run');
  });

  it('refuses to resume a run that is running, queued or succeeded', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a')]));
    assert.match(run.reject({ type: 'runResumed', interactive: true }), /not started yet/);
    run.start();
    assert.equal(planResume(run.state).resumable, false);
    assert.match(run.reject({ type: 'runResumed', interactive: true }), /still running/);
    run.exit('a');
    assert.match(run.reject({ type: 'runResumed', interactive: true }), /succeeded/);
    assert.match(run.reject({ type: 'runInterrupted', reason: 'x' }), /only a running run/);
    assert.match(run.reject({ type: 'runStarted' }), /already started/);
  });

  it('refuses a non-interactive resume that lacks an input, and asks for it when interactive', () => {
    const run = new RunDriver(
      pipelineOf([stageSpec('a')], {
        inputs: [{ id: 'x', prompt: 'X?', type: 'text', timeoutMs: 10 }],
      }),
    );
    run.start();
    run.advance(10);
    run.send({ type: 'timerFired', timer: { kind: 'promptDeadline', promptId: 'inputs.x' } });
    assert.equal(run.state.status, 'failed');
    assert.deepEqual(planResume(run.state).stages, [
      {
        stage: 'a',
        action: 'run',
        reason:
          "never started: not run: the run failed before it could start (input 'x' was not answered within 10ms and has no default)",
      },
    ]);
    assert.match(run.reject({ type: 'runResumed', interactive: false }), /input 'x' has no value/);
    const effects = run.send({ type: 'runResumed', interactive: true });
    assert.equal(run.state.status, 'waiting');
    assert.deepEqual(
      effectsOf(effects, 'askUser').map((e) => e.prompt.id),
      ['inputs.x'],
    );
    run.send({ type: 'promptAnswered', promptId: 'inputs.x', value: 'hi', by: 'cli' });
    run.exit('a');
    assert.equal(run.state.status, 'succeeded');
  });

  it('cancels an interrupted run for good', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a'), stageSpec('b', { needs: ['a'] })]));
    run.start();
    run.send({ type: 'runInterrupted', reason: 'crash' });
    const effects = run.send({ type: 'cancelRequested' });
    assert.equal(run.state.status, 'cancelled');
    assert.equal(run.status('b'), 'cancelled');
    assert.deepEqual(
      effectsOf(effects, 'runFinished').map((e) => e.status),
      ['cancelled'],
    );
  });

  it('replays its event log to the same state, from the start or from a checkpoint', () => {
    const run = new RunDriver(chain());
    run.start();
    run.exit('a');
    run.exit('d', 1);
    const checkpoint = run.state;
    const fromHere = run.log.length;
    run.send({ type: 'runInterrupted', reason: 'crash' });
    run.send({ type: 'runResumed', interactive: true });
    run.exit('b');
    assert.deepEqual(replay(run.initial, run.log), run.state);
    assert.deepEqual(replay(checkpoint, run.log), run.state);
    assert.deepEqual(replay(checkpoint, run.log.slice(fromHere)), run.state);
    assert.throws(() => replay(run.initial, run.log.slice(1)), /event 2: expected event 1 next/);
  });
});
