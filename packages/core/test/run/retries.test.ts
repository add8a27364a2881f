import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { RetryPolicy } from '../../src/index';
import { attemptTimers, backoffDelay, isRetryable, timerKey } from '../../src/index';
import { effectsOf, pipelineOf, RunDriver, spawned, stageSpec } from './harness';

const policy: RetryPolicy = {
  attempts: 3,
  backoffMs: 2000,
  factor: 2,
  maxBackoffMs: 60_000,
  jitter: 0,
};

describe('run: retries and timers', () => {
  it('computes exponential backoff with a cap and jitter', () => {
    assert.equal(backoffDelay(policy, 1, 0.5), 2000);
    assert.equal(backoffDelay(policy, 2, 0.5), 4000);
    assert.equal(backoffDelay(policy, 3, 0.5), 8000);
    assert.equal(backoffDelay({ ...policy, maxBackoffMs: 5000 }, 3, 0.5), 5000);
    const jittered = { ...policy, jitter: 0.2 };
    assert.equal(backoffDelay(jittered, 1, 0), 1600);
    assert.equal(backoffDelay(jittered, 1, 0.5), 2000);
    assert.equal(backoffDelay(jittered, 1, 1), 2400);
  });

  it('never lets jitter take a wait past max_backoff, the cap', () => {
    const capped = { ...policy, maxBackoffMs: 5000, jitter: 0.5 };
    // Attempt 3 would wait 8 s; the cap makes it 5 s and jitter can only shorten that.
    assert.equal(backoffDelay(capped, 3, 1), 5000);
    assert.equal(backoffDelay(capped, 3, 0.5), 5000);
    assert.equal(backoffDelay(capped, 3, 0), 2500);
    // Below the cap jitter works both ways, up to the cap and no further.
    assert.equal(backoffDelay(capped, 1, 1), 3000);
    assert.equal(backoffDelay(capped, 2, 1), 5000);
    fc.assert(
      fc.property(
        fc.record({
          backoffMs: fc.integer({ min: 0, max: 100_000 }),
          factor: fc.double({ min: 1, max: 100, noNaN: true }),
          extra: fc.integer({ min: 0, max: 1_000_000 }),
          jitter: fc.double({ min: 0, max: 1, noNaN: true }),
        }),
        fc.integer({ min: 1, max: 50 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        ({ backoffMs, factor, extra, jitter }, attempt, random) => {
          const p = { ...policy, backoffMs, factor, maxBackoffMs: backoffMs + extra, jitter };
          const delay = backoffDelay(p, attempt, random);
          const base = Math.min(p.maxBackoffMs, backoffMs * factor ** (attempt - 1));
          return (
            Number.isInteger(delay) &&
            delay <= p.maxBackoffMs &&
            delay >= Math.round(base * (1 - jitter)) &&
            delay <= Math.round(base * (1 + jitter))
          );
        },
      ),
    );
  });

  it('rounds to the nearest millisecond', () => {
    const tiny = { ...policy, backoffMs: 3, jitter: 0.1 };
    assert.equal(backoffDelay(tiny, 1, 0), 3, '2.7 rounds up');
    assert.equal(backoffDelay(tiny, 1, 0.9999), 3, '3.3 rounds down');
  });

  it('clamps out-of-range jitter and random, and treats the first attempt as attempt 1', () => {
    const base = { ...policy, backoffMs: 1000 };
    assert.equal(backoffDelay({ ...base, jitter: 1.5 }, 1, 0.25), 500, 'jitter above 1 acts as 1');
    assert.equal(backoffDelay({ ...base, jitter: -0.5 }, 1, 0), 1000, 'negative jitter acts as 0');
    const jittered = { ...base, jitter: 0.2 };
    assert.equal(backoffDelay(jittered, 1, 2), 1200, 'random above 1 acts as 1');
    assert.equal(backoffDelay(jittered, 1, -1), 800, 'negative random acts as 0');
    assert.equal(backoffDelay(jittered, 1, Number.NaN), 1000, 'NaN acts as 0.5');
    assert.equal(backoffDelay(jittered, 1, Number.POSITIVE_INFINITY), 1000, 'Infinity acts as 0.5');
    assert.equal(backoffDelay(base, 0, 0.5), 1000, 'attempt 0 waits no less than attempt 1');
    assert.equal(
      backoffDelay({ ...base, jitter: 1 }, 1, 0),
      0,
      'never negative, zero at full jitter',
    );
  });

  it('arms a wall-clock timer and an idle check only for the limits a stage sets', () => {
    assert.deepEqual(attemptTimers(stageSpec('a'), 1), []);
    assert.deepEqual(attemptTimers(stageSpec('a', { timeoutMs: 1000 }), 2), [
      { kind: 'stageTimeout', stage: 'a', attempt: 2 },
    ]);
    assert.deepEqual(attemptTimers(stageSpec('a', { idleTimeoutMs: 500 }), 1), [
      { kind: 'idleCheck', stage: 'a', attempt: 1 },
    ]);
    assert.deepEqual(
      attemptTimers(stageSpec('b', { timeoutMs: 1, idleTimeoutMs: 1 }), 3).map((t) => t.kind),
      ['stageTimeout', 'idleCheck'],
    );
  });

  it('retries only listed exit codes when on_exit_codes is set', () => {
    const listed = { ...policy, onExitCodes: [75] };
    assert.equal(isRetryable(listed, { exitCode: 75 }), true);
    assert.equal(isRetryable(listed, { exitCode: 1 }), false);
    assert.equal(isRetryable(listed, { killed: 'timeout' }), false);
    assert.equal(isRetryable(listed, {}), false);
    assert.equal(isRetryable(policy, { killed: 'timeout' }), true);
    assert.equal(isRetryable(policy, {}), true);
    assert.equal(isRetryable(policy, { killed: 'unanswered' }), false);
    assert.equal(
      isRetryable(policy, { killed: 'cancel' }),
      false,
      'a cancelled attempt is never retried',
    );
    // A kill the core asked for is not a listed exit code, even when the killed
    // process reports one (a shell trapping TERM may exit 75).
    assert.equal(isRetryable(listed, { killed: 'timeout', exitCode: 75 }), false);
  });

  it('waits out the backoff, then runs the next attempt; fails after the last', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a', { retry: policy })]));
    run.start();
    const effects = run.exit('a', 1);
    assert.equal(run.status('a'), 'retrying');
    assert.equal(run.stage('a').retryAt, run.now + 2000);
    assert.equal(run.stage('a').reason, 'exited with code 1; attempt 2 of 3 in 2s');
    const [timer] = effectsOf(effects, 'startTimer');
    assert.deepEqual(timer, {
      type: 'startTimer',
      timer: { kind: 'retryDue', stage: 'a', attempt: 1 },
      at: run.now + 2000,
    });
    assert.equal(run.state.status, 'running', 'a retrying stage keeps the run running');
    run.advance(2000);
    assert.deepEqual(spawned(run.send({ type: 'timerFired', timer: timer.timer })), ['a']);
    assert.equal(run.stage('a').attempt, 2);
    run.exit('a', 1);
    assert.equal(run.stage('a').retryAt, run.now + 4000);
    run.advance(4000);
    run.send({ type: 'timerFired', timer: { kind: 'retryDue', stage: 'a', attempt: 2 } });
    run.exit('a', 1);
    assert.equal(run.status('a'), 'failed');
    assert.equal(run.stage('a').reason, 'exited with code 1 (attempt 3)');
    assert.equal(run.state.status, 'failed');
  });

  it('does not retry an exit code that is not listed', () => {
    const run = new RunDriver(
      pipelineOf([stageSpec('a', { retry: { ...policy, onExitCodes: [75] } })]),
    );
    run.start();
    run.exit('a', 2);
    assert.equal(run.status('a'), 'failed');
  });

  it('lets a retry wait for a free slot', () => {
    const run = new RunDriver(
      pipelineOf([stageSpec('a', { retry: policy }), stageSpec('b')], { concurrency: 1 }),
    );
    run.start();
    run.exit('a', 1);
    assert.equal(run.status('b'), 'running', 'the free slot goes to the next ready stage');
    run.advance(2000);
    run.send({ type: 'timerFired', timer: { kind: 'retryDue', stage: 'a', attempt: 1 } });
    assert.equal(run.status('a'), 'ready');
    assert.deepEqual(spawned(run.exit('b')), ['a']);
  });

  it('kills an attempt at its timeout and fails it with the limit in the reason', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a', { timeoutMs: 600_000 })]));
    const started = run.start();
    const timeout = { kind: 'stageTimeout', stage: 'a', attempt: 1 } as const;
    assert.deepEqual(effectsOf(started, 'startTimer'), [
      { type: 'startTimer', timer: timeout, at: run.now + 600_000 },
    ]);
    run.advance(600_000);
    const effects = run.send({ type: 'timerFired', timer: timeout });
    assert.deepEqual(effectsOf(effects, 'killStage'), [
      { type: 'killStage', stage: 'a', attempt: 1, reason: 'timeout' },
    ]);
    assert.equal(run.status('a'), 'running', 'it holds its slot until it exits');
    assert.equal(
      run.reject({ type: 'timerFired', timer: timeout }),
      "stageTimeout timer is stale: stage 'a' is already being stopped",
    );
    run.exit('a', undefined, { exitCode: undefined, signal: 'SIGTERM' } as never);
    assert.equal(run.status('a'), 'failed');
    assert.equal(run.stage('a').reason, 'timed out after 10m');
  });

  it('re-arms the idle check while there is activity, then diagnoses and kills a hang', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a', { idleTimeoutMs: 120_000 })]));
    const t0 = run.now;
    run.start();
    const idle = { kind: 'idleCheck', stage: 'a', attempt: 1 } as const;
    run.advance(120_000);
    const rearm = run.send({ type: 'timerFired', timer: idle, lastActivityAt: t0 + 90_000 });
    assert.deepEqual(rearm, [{ type: 'startTimer', timer: idle, at: t0 + 210_000 }]);
    run.advance(90_000);
    const effects = run.send({ type: 'timerFired', timer: idle, lastActivityAt: t0 + 90_000 });
    assert.deepEqual(
      effects.filter((e) => e.type === 'diagnoseStage' || e.type === 'killStage'),
      [
        { type: 'diagnoseStage', stage: 'a', attempt: 1 },
        { type: 'killStage', stage: 'a', attempt: 1, reason: 'idle' },
      ],
    );
    run.exit('a', 143);
    assert.equal(run.stage('a').reason, 'no output for 2m (hung)');
  });

  it('does not count a stage waiting for an answer as hung', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a', { idleTimeoutMs: 60_000 })]));
    run.start();
    run.send({
      type: 'promptOpened',
      promptId: 'go',
      stage: 'a',
      attempt: 1,
      message: 'Go?',
      promptType: 'confirm',
    });
    run.advance(60_000);
    const idle = { kind: 'idleCheck', stage: 'a', attempt: 1 } as const;
    assert.deepEqual(run.send({ type: 'timerFired', timer: idle }), [
      { type: 'startTimer', timer: idle, at: run.now + 60_000 },
    ]);
  });

  it('retries a timed-out attempt when no exit codes are listed', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a', { timeoutMs: 1000, retry: policy })]));
    run.start();
    run.advance(1000);
    run.send({ type: 'timerFired', timer: { kind: 'stageTimeout', stage: 'a', attempt: 1 } });
    run.exit('a', 143);
    assert.equal(run.status('a'), 'retrying');
  });

  it('rejects stale timers and events for an attempt that is not live', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a', { retry: policy, timeoutMs: 5000 })]));
    run.start();
    run.exit('a', 1);
    assert.match(
      run.reject({ type: 'timerFired', timer: { kind: 'stageTimeout', stage: 'a', attempt: 1 } }),
      /^stageTimeout timer is stale: stage 'a' is retrying, not running/,
    );
    assert.equal(
      run.reject({ type: 'timerFired', timer: { kind: 'retryDue', stage: 'a', attempt: 7 } }),
      "retry timer for stage 'a' attempt 7 is stale",
    );
    assert.match(
      run.reject({ type: 'stageExited', stage: 'a', attempt: 1, exitCode: 0, random: 0 }),
      /'a' is retrying, not running/,
    );
    assert.match(
      run.reject({ type: 'stageExited', stage: 'zz', attempt: 1, exitCode: 0, random: 0 }),
      /no stage 'zz'/,
    );
  });

  it('keys timers by what they are about', () => {
    assert.equal(timerKey({ kind: 'stageTimeout', stage: 'a', attempt: 2 }), 'stageTimeout:a:2');
    assert.equal(timerKey({ kind: 'idleCheck', stage: 'a', attempt: 2 }), 'idleCheck:a:2');
    assert.equal(timerKey({ kind: 'retryDue', stage: 'a', attempt: 2 }), 'retryDue:a:2');
    assert.equal(timerKey({ kind: 'promptDeadline', promptId: 'a/x' }), 'promptDeadline:a/x');
  });
});
