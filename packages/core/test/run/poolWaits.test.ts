import * as assert from 'node:assert/strict';
import type { Effect } from '../../src/index';
import { replay } from '../../src/index';
import { effectsOf, pipelineOf, RunDriver, spawned, stageSpec } from './harness';

/** Stages queued for pool slots by a list of effects, in order. */
function queued(effects: readonly Effect[]): string[] {
  return effectsOf(effects, 'acquireSlots').map((e) => e.stage);
}

function released(effects: readonly Effect[]): string[] {
  return effectsOf(effects, 'releaseSlots').map((e) => e.stage);
}

const POOLS = { gpu: 1 };

describe('run: waiting for pool slots', () => {
  it('queues a stage for its pools without holding a concurrency slot', () => {
    const run = new RunDriver(
      pipelineOf([stageSpec('train', { resources: { gpu: 1 } }), stageSpec('a'), stageSpec('b')], {
        pools: POOLS,
        concurrency: 2,
      }),
    );
    const effects = run.start();
    assert.deepEqual(queued(effects), ['train']);
    // Both slots go to stages that need no pool while train waits.
    assert.deepEqual(spawned(effects), ['a', 'b']);
    assert.equal(run.status('train'), 'waitingForPool');
    assert.equal(run.stage('train').attempt, 0, 'no attempt starts while it waits');
    assert.equal(run.stage('train').reason, 'waiting for pool gpu');
    assert.deepEqual(effectsOf(effects, 'acquireSlots')[0], {
      type: 'acquireSlots',
      stage: 'train',
      attempt: 1,
      resources: { gpu: 1 },
    });
    run.send({
      type: 'slotsWaiting',
      stage: 'train',
      attempt: 1,
      reason: 'waiting for pool gpu: held by run r stage x',
    });
    assert.equal(run.stage('train').reason, 'waiting for pool gpu: held by run r stage x');
  });

  it('starts a stage that has its slots once a concurrency slot frees, first among the ready', () => {
    const run = new RunDriver(
      pipelineOf([stageSpec('a'), stageSpec('train', { resources: { gpu: 1 } }), stageSpec('b')], {
        pools: POOLS,
        concurrency: 1,
      }),
    );
    assert.deepEqual(spawned(run.start()), ['a']);
    assert.equal(run.status('train'), 'waitingForPool');
    // Slots come while `a` holds the only concurrency slot: train keeps them and waits.
    assert.deepEqual(spawned(run.send({ type: 'slotsAcquired', stage: 'train', attempt: 1 })), []);
    assert.equal(run.stage('train').slots, 'held');
    assert.equal(run.status('train'), 'waitingForPool');
    // It goes before `b`, which was ready all along.
    assert.deepEqual(spawned(run.exit('a')), ['train']);
    assert.equal(run.status('b'), 'ready');
    const exited = run.exit('train');
    assert.deepEqual(released(exited), ['train']);
    assert.deepEqual(spawned(exited), ['b']);
  });

  it('starts the timeout when the stage runs, not while it waits', () => {
    const run = new RunDriver(
      pipelineOf([stageSpec('train', { resources: { gpu: 1 }, timeoutMs: 5000 })], {
        pools: POOLS,
      }),
    );
    const effects = run.start();
    assert.deepEqual(effectsOf(effects, 'startTimer'), []);
    run.advance(60_000);
    const started = run.send({ type: 'slotsAcquired', stage: 'train', attempt: 1 });
    assert.deepEqual(spawned(started), ['train']);
    const [timer] = effectsOf(started, 'startTimer');
    assert.equal(timer?.at, run.now + 5000);
    assert.equal(run.stage('train').startedAt, run.now);
  });

  it('lets at most concurrency stages wait for pools, and keeps max_parallel for the running', () => {
    const run = new RunDriver(
      pipelineOf(
        [
          stageSpec('m', {
            matrix: { axes: { n: ['1', '2', '3', '4', '5'] }, include: [], exclude: [] },
            maxParallel: 1,
            resources: { gpu: 1 },
          }),
        ],
        { pools: { gpu: 4 }, concurrency: 2 },
      ),
    );
    assert.deepEqual(queued(run.start()), ['m[1]', 'm[2]']);
    assert.deepEqual(spawned(run.send({ type: 'slotsAcquired', stage: 'm[1]', attempt: 1 })), [
      'm[1]',
    ]);
    // m[2] has its slots too, but max_parallel 1 keeps it waiting, holding them.
    assert.deepEqual(spawned(run.send({ type: 'slotsAcquired', stage: 'm[2]', attempt: 1 })), []);
    assert.equal(run.stage('m[2]').slots, 'held');
    // Queueing m[3] now would only hold slots while m[2] runs: it waits for its turn.
    const exited = run.exit('m[1]');
    assert.deepEqual(spawned(exited), ['m[2]']);
    assert.deepEqual(queued(exited), []);
    assert.deepEqual(queued(run.exit('m[2]')), ['m[3]', 'm[4]']);
    assert.equal(run.stage('m').items?.counts.waitingForPool, 2);
  });

  it('gives the slots back when a waiting or holding stage is cancelled, and refuses late slots', () => {
    const run = new RunDriver(
      pipelineOf(
        [
          stageSpec('a'),
          stageSpec('b'),
          stageSpec('w', { resources: { gpu: 1 } }),
          stageSpec('h', { resources: { gpu: 1 } }),
        ],
        { pools: { gpu: 2 }, concurrency: 2 },
      ),
    );
    run.start();
    run.send({ type: 'slotsAcquired', stage: 'h', attempt: 1 });
    assert.equal(run.stage('h').slots, 'held');
    const effects = run.send({ type: 'cancelRequested' });
    assert.deepEqual(released(effects).sort(), ['h', 'w']);
    assert.equal(run.status('w'), 'cancelled');
    assert.equal(run.stage('w').reason, 'cancelled while waiting for its pool slots');
    assert.equal(run.stage('w').slots, undefined);
    assert.match(
      run.reject({ type: 'slotsAcquired', stage: 'w', attempt: 1 }),
      /not waiting for pool slots/,
    );
  });

  it('queues a retry again, and replays to the same state', () => {
    const run = new RunDriver(
      pipelineOf(
        [
          stageSpec('train', {
            resources: { gpu: 1 },
            retry: { attempts: 2, backoffMs: 10, factor: 1, maxBackoffMs: 10, jitter: 0 },
          }),
        ],
        { pools: POOLS },
      ),
    );
    run.start();
    run.send({ type: 'slotsAcquired', stage: 'train', attempt: 1 });
    assert.deepEqual(released(run.exit('train', 1)), ['train']);
    run.advance(10);
    const due = run.send({
      type: 'timerFired',
      timer: { kind: 'retryDue', stage: 'train', attempt: 1 },
    });
    assert.deepEqual(
      effectsOf(due, 'acquireSlots').map((e) => e.attempt),
      [2],
    );
    run.reject({ type: 'slotsAcquired', stage: 'train', attempt: 1 });
    run.send({ type: 'slotsAcquired', stage: 'train', attempt: 2 });
    run.exit('train');
    assert.equal(run.state.status, 'succeeded');
    assert.deepEqual(
      JSON.parse(JSON.stringify(replay(run.initial, run.log))),
      JSON.parse(JSON.stringify(run.state)),
    );
  });
  it('names the pools a stage waits for, and the concurrency once it holds its slots', () => {
    const run = new RunDriver(
      pipelineOf(
        [
          stageSpec('a'),
          stageSpec('two', { resources: { llm: 1, gpu: 1 } }),
          stageSpec('three', { resources: { gpu: 1, cpu: 2, llm: 1 } }),
        ],
        { pools: { gpu: 2, llm: 2, cpu: 2 }, concurrency: 2 },
      ),
    );
    run.start();
    assert.equal(run.stage('two').reason, 'waiting for pool gpu and llm');
    assert.equal(run.stage('three').reason, 'waiting for pool cpu, gpu and llm');
    run.send({ type: 'slotsAcquired', stage: 'two', attempt: 1 });
    assert.equal(run.status('two'), 'running');
    run.send({ type: 'stageStarted', stage: 'two', attempt: 1 });
    run.send({ type: 'slotsAcquired', stage: 'three', attempt: 1 });
    assert.equal(run.status('three'), 'waitingForPool');
    assert.equal(
      run.stage('three').reason,
      'has its pool slots; waiting for a free slot (concurrency 2)',
    );
  });

  it('refuses pool events for an unknown stage, another attempt, or slots it already holds', () => {
    const run = new RunDriver(
      pipelineOf([stageSpec('a'), stageSpec('train', { resources: { gpu: 1 } })], {
        pools: POOLS,
        concurrency: 1,
      }),
    );
    run.start();
    assert.equal(
      run.reject({ type: 'slotsAcquired', stage: 'nope', attempt: 1 }),
      "there is no stage 'nope' in this run",
    );
    assert.equal(
      run.reject({ type: 'slotsWaiting', stage: 'train', attempt: 2, reason: 'r' }),
      "stage 'train' waits for pool slots for attempt 1, not attempt 2",
    );
    assert.equal(
      run.reject({ type: 'slotsAcquired', stage: 'a', attempt: 1 }),
      "stage 'a' is running, not waiting for pool slots",
    );
    run.send({ type: 'slotsAcquired', stage: 'train', attempt: 1 });
    assert.equal(
      run.reject({ type: 'slotsWaiting', stage: 'train', attempt: 1, reason: 'r' }),
      "stage 'train' is waitingForPool, not waiting for pool slots",
    );
    run.reject({ type: 'slotsAcquired', stage: 'train', attempt: 1 });
  });

  it('fails a stage holding its slots whose command cannot be built, and gives the slots back', () => {
    const run = new RunDriver(
      pipelineOf(
        [
          stageSpec('a', { continueOnError: true }),
          stageSpec('t', {
            needs: ['a'],
            resources: { gpu: 1 },
            run: 'x ${{ stages.a.outputs.o }}',
          }),
        ],
        { pools: POOLS },
      ),
    );
    run.start();
    assert.deepEqual(queued(run.exit('a', 1)), ['t']);
    const effects = run.send({ type: 'slotsAcquired', stage: 't', attempt: 1 });
    assert.deepEqual(released(effects), ['t']);
    assert.equal(run.status('t'), 'failed');
    assert.equal(
      run.stage('t').reason,
      'could not build the command: run: stage "a" produced no output "o"',
    );
    assert.equal(run.state.status, 'failed');
  });
  it('keeps the pool slots of a stage that waits for an answer, and gives them back when it ends', () => {
    const run = new RunDriver(
      pipelineOf([stageSpec('t', { resources: { gpu: 1 } })], { pools: POOLS }),
    );
    run.start();
    run.send({ type: 'slotsAcquired', stage: 't', attempt: 1 });
    const opened = run.send({
      type: 'promptOpened',
      promptId: 'go',
      stage: 't',
      attempt: 1,
      message: 'Go?',
      promptType: 'confirm',
    });
    assert.equal(run.status('t'), 'waiting');
    assert.deepEqual(released(opened), []);
    assert.equal(run.stage('t').slots, 'held');
    assert.deepEqual(released(run.exit('t')), ['t']);
  });
  it('gives back no slots for a stage that held none', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a'), stageSpec('b', { needs: ['a'] })]));
    run.start();
    assert.deepEqual(released(run.exit('a')), []);
    assert.deepEqual(released(run.exit('b', 1)), []);
  });
});
