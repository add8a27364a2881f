import * as assert from 'node:assert/strict';
import { plainState, timerKey, transition } from '../../src/index';
import type { Timer } from '../../src/index';
import { schedulingWork } from '../../src/run/schedule';
import { isCheckpointWorthy } from '../../src/run/settle';
import { countStatuses } from '../../src/run/statusCounts';
import { effectsOf, pipelineOf, RunDriver, spawned, stageSpec } from './harness';

describe('run: scheduling details', () => {
  it('counts a stage waiting for an answer against concurrency', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a'), stageSpec('b')], { concurrency: 1 }));
    run.start();
    run.send({
      type: 'promptOpened',
      promptId: 'go',
      stage: 'a',
      attempt: 1,
      message: 'Go?',
      promptType: 'confirm',
    });
    assert.equal(run.status('a'), 'waiting');
    assert.equal(run.status('b'), 'ready');
  });

  it('arms each timer of an attempt at its own limit', () => {
    const run = new RunDriver(
      pipelineOf([stageSpec('a', { timeoutMs: 5000, idleTimeoutMs: 700 })]),
    );
    const timers = effectsOf(run.start(), 'startTimer').map((e) => [e.timer.kind, e.at - run.now]);
    assert.deepEqual(timers, [
      ['stageTimeout', 5000],
      ['idleCheck', 700],
    ]);
  });

  it('skips the dependants of a stage that could not start, in the same event', () => {
    const run = new RunDriver(
      pipelineOf([
        stageSpec('a', { run: 'go ${{ stages.b.outputs.none }}' }),
        stageSpec('c', { needs: ['a'] }),
      ]),
    );
    run.start();
    assert.equal(run.status('a'), 'failed');
    assert.equal(run.status('c'), 'skipped');
    assert.equal(run.state.status, 'failed');
  });

  it('starts a stage holding its pool slots from a state no transition made', () => {
    const run = new RunDriver(
      pipelineOf([stageSpec('a'), stageSpec('train', { resources: { gpu: 1 } })], {
        pools: { gpu: 1 },
        concurrency: 1,
      }),
    );
    run.start();
    run.send({ type: 'slotsAcquired', stage: 'train', attempt: 1 });
    assert.equal(run.stage('train').slots, 'held');
    const { effects } = transition(plainState(run.state), {
      type: 'stageExited',
      stage: 'a',
      attempt: 1,
      exitCode: 0,
      random: 0.5,
      at: run.now,
    });
    assert.deepEqual(spawned(effects), ['train']);
  });

  it('runs a stage with an empty resources map without a pool wait', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a', { resources: {} })]));
    assert.deepEqual(spawned(run.start()), ['a']);
  });

  it('counts the stages it examines', () => {
    const before = schedulingWork.examined;
    const run = new RunDriver(pipelineOf([stageSpec('a'), stageSpec('b', { needs: ['a'] })]));
    run.start();
    assert.ok(schedulingWork.examined >= before + 2);
  });

  it('names a declared stage that has no state', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a')]));
    const extra = pipelineOf([stageSpec('a'), stageSpec('ghost')]);
    assert.throws(() => countStatuses(extra, { ...run.state.stages }), /no stage 'ghost'/);
  });

  it('takes a new process handle as worth a checkpoint', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a')]));
    run.start();
    const before = plainState(run.state);
    const stage = before.stages['a'];
    assert.ok(stage !== undefined);
    const after = { ...before, stages: { a: { ...stage, handle: { id: 'h' } } } } as never;
    assert.equal(isCheckpointWorthy(before, after), true);
  });

  it('names every reference a command could not resolve, one after the other', () => {
    const run = new RunDriver(
      pipelineOf([
        stageSpec('a', { run: 'go ${{ stages.c.outputs.x }} ${{ stages.c.outputs.y }}' }),
        stageSpec('c'),
      ]),
      { defaultConcurrency: 1 },
    );
    run.start();
    assert.equal(
      run.stage('a').reason,
      'could not build the command: run: stage "c" produced no output "x"; run: stage "c" produced no output "y"',
    );
  });

  it('rejects an idle check of an attempt that already ended', () => {
    const run = new RunDriver(
      pipelineOf([stageSpec('a', { idleTimeoutMs: 1000 }), stageSpec('b')]),
    );
    run.start();
    run.exit('a', 0);
    assert.match(
      run.reject({ type: 'timerFired', timer: { kind: 'idleCheck', stage: 'a', attempt: 1 } }),
      /^idleCheck timer is stale/,
    );
  });

  it('names an unknown timer kind', () => {
    assert.throws(() => timerKey({ kind: 'bogus' } as unknown as Timer), /unknown timer/);
  });

  it('rejects a wall-clock timer of an attempt that already ended', () => {
    const run = new RunDriver(
      pipelineOf([
        stageSpec('a', {
          timeoutMs: 1000,
          retry: { attempts: 2, backoffMs: 10, factor: 1, maxBackoffMs: 10, jitter: 0 },
        }),
      ]),
    );
    run.start();
    run.exit('a', 1);
    assert.match(
      run.reject({ type: 'timerFired', timer: { kind: 'stageTimeout', stage: 'a', attempt: 1 } }),
      /^stageTimeout timer is stale/,
    );
  });
});
