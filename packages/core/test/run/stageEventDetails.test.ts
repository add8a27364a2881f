import * as assert from 'node:assert/strict';
import type { StageSpec } from '../../src/index';
import { effectsOf, pipelineOf, RunDriver, stageSpec } from './harness';

/** A run whose one stage `a` (declared with `over`) runs attempt 1. */
function running(over: Partial<StageSpec> = {}): RunDriver {
  const run = new RunDriver(pipelineOf([stageSpec('a', over)]));
  run.start();
  return run;
}

const handle = { executor: 'bullmq', id: 'job-1', detached: true };

describe('run: stage events in detail', () => {
  it('records when an attempt started, its pid or its handle, and no field it was not given', () => {
    const local = running();
    local.advance(250);
    local.send({ type: 'stageStarted', stage: 'a', attempt: 1, pid: 41 });
    assert.equal(local.stage('a').pid, 41);
    assert.equal(local.stage('a').startedAt, local.now);
    assert.equal(local.stage('a').lastActivityAt, local.now);
    assert.equal(Object.hasOwn(local.stage('a'), 'handle'), false);
    const remote = running();
    remote.send({ type: 'stageStarted', stage: 'a', attempt: 1, handle });
    assert.deepEqual(remote.stage('a').handle, handle);
    assert.equal(Object.hasOwn(remote.stage('a'), 'pid'), false);
  });

  it('refuses a second start of an attempt that reported only a pid', () => {
    const run = running();
    run.send({ type: 'stageStarted', stage: 'a', attempt: 1, pid: 41 });
    assert.equal(
      run.reject({ type: 'stageStarted', stage: 'a', attempt: 1, pid: 42 }),
      "stage 'a' attempt 1 was already reported started",
    );
  });

  it('asks again for a kill requested before the process was reported started, and only then', () => {
    const quiet = running();
    const plain = quiet.send({ type: 'stageStarted', stage: 'a', attempt: 1, pid: 41 });
    assert.deepEqual(effectsOf(plain, 'killStage'), []);
    const stopped = running();
    stopped.send({ type: 'cancelRequested' });
    const effects = stopped.send({ type: 'stageStarted', stage: 'a', attempt: 1, pid: 41 });
    assert.deepEqual(effectsOf(effects, 'killStage'), [
      { type: 'killStage', stage: 'a', attempt: 1, reason: 'cancel' },
    ]);
  });

  it("keeps an unreachable executor's condition when a worker claims the attempt", () => {
    const run = running();
    run.send({ type: 'stageStarted', stage: 'a', attempt: 1, handle });
    const down = { kind: 'unreachable', executor: 'redis', since: 5 } as const;
    run.send({ type: 'stageExecutorCondition', stage: 'a', attempt: 1, condition: down });
    run.send({ type: 'stageClaimed', stage: 'a', attempt: 1, where: 'w1' });
    assert.deepEqual(run.stage('a').executorCondition, down);
    assert.equal(
      running().reject({ type: 'stageClaimed', stage: 'a', attempt: 1, where: 'w1' }),
      "stage 'a' attempt 1 has no executor handle to claim",
    );
  });

  it('refuses an executor condition with a field of the wrong kind', () => {
    const run = running();
    run.send({ type: 'stageStarted', stage: 'a', attempt: 1, handle });
    const bad = [
      { kind: 'noWorker', queue: 7 },
      { kind: 'unreachable', executor: 7, since: 5 },
      { kind: 'unreachable', executor: 'redis', since: Number.NaN },
    ];
    for (const condition of bad) {
      assert.equal(
        run.reject({
          type: 'stageExecutorCondition',
          stage: 'a',
          attempt: 1,
          condition: condition as never,
        }),
        `stageExecutorCondition has no known condition: ${JSON.stringify(condition)}`,
      );
    }
  });

  it('names each way an attempt can fail', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ exitCode: undefined }, 'ended without an exit code'],
      [
        { exitCode: 0, missingOutputs: ['a.txt', 'b/*.json'] },
        'declared outputs a.txt, b/*.json matched no file',
      ],
      [{ exitCode: 0, missingOutputs: [] }, ''],
    ];
    for (const [extra, reason] of cases) {
      const run = running();
      run.exit('a', 0, extra);
      assert.equal(run.stage('a').reason ?? '', reason);
      assert.equal(run.status('a'), reason === '' ? 'succeeded' : 'failed');
    }
  });

  it('does not retry a process that could not start as one that exited with a listed code', () => {
    const retry = {
      attempts: 3,
      backoffMs: 10,
      factor: 1,
      maxBackoffMs: 10,
      jitter: 0,
      onExitCodes: [75],
    };
    const run = running({ retry });
    run.exit('a', 75, { error: 'spawn sh EACCES' });
    assert.equal(run.status('a'), 'failed');
    assert.equal(run.stage('a').reason, 'could not start: spawn sh EACCES');
    const listed = running({ retry });
    listed.exit('a', 75);
    assert.equal(listed.status('a'), 'retrying');
  });

  it('keeps what an attempt reported on exit, and only that', () => {
    const run = running();
    run.exit('a', 0, {
      outputs: { n: '3' },
      exported: { env: { X: '1' }, path: [] },
      digest: 'd1',
    });
    assert.deepEqual(run.stage('a').outputs, { n: '3' });
    assert.deepEqual(run.stage('a').exported, { env: { X: '1' }, path: [] });
    assert.equal(run.stage('a').digest, 'd1');
    assert.equal(run.stage('a').exitCode, 0);
    const bare = running();
    bare.send({ type: 'stageExited', stage: 'a', attempt: 1, signal: 'SIGKILL', random: 0.5 });
    assert.deepEqual(bare.stage('a').outputs, {});
    assert.equal(bare.stage('a').signal, 'SIGKILL');
    for (const field of ['exported', 'exitCode', 'digest'] as const) {
      assert.equal(Object.hasOwn(bare.stage('a'), field), false, field);
    }
    const plain = running();
    plain.exit('a');
    assert.equal(Object.hasOwn(plain.stage('a'), 'digest'), false);
  });

  it("stops an attempt's timers when it exits on its own, not again after a kill stopped them", () => {
    const own = running({ timeoutMs: 5000 });
    assert.deepEqual(effectsOf(own.exit('a'), 'cancelTimer'), [
      { type: 'cancelTimer', timer: { kind: 'stageTimeout', stage: 'a', attempt: 1 } },
    ]);
    const killed = running({ timeoutMs: 5000 });
    killed.send({ type: 'cancelRequested' });
    assert.deepEqual(effectsOf(killed.exit('a'), 'cancelTimer'), []);
    assert.equal(killed.stage('a').reason, 'cancelled while running attempt 1');
  });

  it('refuses a start, claim, condition or progress of an attempt that is not the live one', () => {
    const run = running();
    run.send({ type: 'stageStarted', stage: 'a', attempt: 1, handle });
    const before = run.stage('a');
    const stale = [
      { type: 'stageStarted', stage: 'a', attempt: 2, pid: 41 },
      { type: 'stageClaimed', stage: 'a', attempt: 2, where: 'w1' },
      { type: 'stageExecutorCondition', stage: 'a', attempt: 2 },
      { type: 'stageProgress', stage: 'a', attempt: 2, progress: { done: 1, total: 2 } },
    ] as const;
    for (const event of stale) {
      assert.equal(run.reject(event), "stage 'a' is running attempt 1, not attempt 2", event.type);
    }
    assert.deepEqual(run.stage('a'), before);
  });

  it('records the success of a stage it fingerprinted, not its failure', () => {
    const checked = (exitCode: number) => {
      // A stage with deps is cacheable: it is checked before it runs.
      const run = new RunDriver(pipelineOf([stageSpec('a', { deps: ['data/*.txt'] })]));
      run.start();
      run.send({
        type: 'stageChecked',
        stage: 'a',
        fingerprint: 'fp-a',
        action: 'run',
        reason: 'never ran',
      });
      return effectsOf(run.exit('a', exitCode), 'recordStage');
    };
    assert.deepEqual(checked(0), [
      { type: 'recordStage', stage: 'a', attempt: 1, fingerprint: 'fp-a' },
    ]);
    assert.deepEqual(checked(3), []);
  });

  it('does not retry an attempt killed because nobody answered its prompt', () => {
    const run = running({
      retry: { attempts: 3, backoffMs: 1000, factor: 1, maxBackoffMs: 1000, jitter: 0 },
    });
    run.send({
      type: 'promptOpened',
      promptId: 'q',
      stage: 'a',
      attempt: 1,
      message: 'Q?',
      promptType: 'text',
      timeoutMs: 1000,
    });
    run.advance(1000);
    run.send({ type: 'timerFired', timer: { kind: 'promptDeadline', promptId: 'a/q' } });
    run.exit('a', 143);
    assert.equal(run.status('a'), 'failed');
  });
});
