import * as assert from 'node:assert/strict';
import { plainState, transition } from '../../src/index';
import { effectsOf, pipelineOf, RunDriver, spawned, stageSpec } from './harness';

const LIST = '${{ stages.list.outputs.papers }}';

describe('run: scheduling at the edges of fan-outs, checks and pools', () => {
  it('fails a fan-out whose list is not a list, skips what needs it and fails the run', () => {
    const run = new RunDriver(
      pipelineOf([
        stageSpec('list'),
        stageSpec('each', { needs: ['list'], foreach: LIST }),
        stageSpec('after', { needs: ['each'] }),
      ]),
    );
    run.start();
    run.exit('list', 0, { outputs: { papers: '{not a list' } });
    assert.equal(run.status('each'), 'failed');
    assert.equal(run.status('after'), 'skipped');
    assert.equal(run.stage('after').reason, "not run: it needs 'each', which failed");
    assert.equal(run.state.status, 'failed');
  });

  it('skips a fan-out whose need failed without expanding it or listing its files', () => {
    const fanOuts = [
      { foreach: LIST },
      { foreach: '*.txt' },
      { matrix: { axes: { os: ['linux'] }, include: [], exclude: [] } },
    ];
    for (const fanOut of fanOuts) {
      const run = new RunDriver(
        pipelineOf([stageSpec('list'), stageSpec('each', { needs: ['list'], ...fanOut })]),
      );
      run.start();
      const effects = run.exit('list', 1, { outputs: { papers: '["a"]' } });
      assert.deepEqual(effectsOf(effects, 'listItems'), [], JSON.stringify(fanOut));
      assert.equal(run.status('each'), 'skipped', JSON.stringify(fanOut));
      assert.equal(run.stage('each').reason, "not run: it needs 'list', which failed");
      assert.equal(run.stage('each').items, undefined, 'no units');
      assert.equal(run.state.status, 'failed');
    }
  });

  it('starts a stage declared before the fan-out it needs once the fan-out gathers', () => {
    const run = new RunDriver(
      pipelineOf([
        stageSpec('list'),
        stageSpec('after', { needs: ['each'] }),
        stageSpec('each', { needs: ['list'], foreach: LIST }),
      ]),
    );
    run.start();
    const units = spawned(run.exit('list', 0, { outputs: { papers: '["a"]' } }));
    assert.deepEqual(units, ['each[a]']);
    assert.deepEqual(spawned(run.exit('each[a]', 0)), ['after']);
    assert.equal(run.status('each'), 'succeeded');
  });

  it('names the need listed first when one failure skips two needs of a stage', () => {
    // `x` is declared first and lists `q` before `p`; both are skipped by the same failure.
    const run = new RunDriver(
      pipelineOf([
        stageSpec('x', { needs: ['q', 'p'] }),
        stageSpec('s'),
        stageSpec('p', { needs: ['s'] }),
        stageSpec('q', { needs: ['s'] }),
      ]),
    );
    run.start();
    run.exit('s', 1);
    assert.equal(run.stage('x').reason, "not run: it needs 'q', which was skipped");
  });

  it('names the need listed first when a failure reaches it down a longer chain', () => {
    // One failure skips p directly and q three stages down; x, declared last, lists q first.
    const run = new RunDriver(
      pipelineOf([
        stageSpec('s'),
        stageSpec('p', { needs: ['s'] }),
        stageSpec('t', { needs: ['s'] }),
        stageSpec('u', { needs: ['t'] }),
        stageSpec('q', { needs: ['u'] }),
        stageSpec('x', { needs: ['q', 'p'] }),
      ]),
    );
    run.start();
    run.exit('s', 1);
    assert.equal(run.stage('x').reason, "not run: it needs 'q', which was skipped");
  });

  it('skips a cacheable stage whose need failed without asking for its check', () => {
    const run = new RunDriver(
      pipelineOf([stageSpec('a'), stageSpec('b', { needs: ['a'], deps: ['x'] })]),
    );
    run.start();
    const effects = run.exit('a', 1, { digest: 'dg-a' });
    assert.deepEqual(effectsOf(effects, 'checkStage'), []);
    assert.equal(run.status('b'), 'skipped');
    assert.equal(run.stage('b').reason, "not run: it needs 'a', which failed");
  });

  it('does not start a stage the cancel took while it held its pool slots', () => {
    const run = new RunDriver(
      pipelineOf(
        [
          stageSpec('a'),
          stageSpec('train', { resources: { gpu: 1 } }),
          stageSpec('cleanup', { needs: ['a'], if: 'always()' }),
        ],
        { pools: { gpu: 1 }, concurrency: 1 },
      ),
    );
    run.start();
    run.send({ type: 'slotsAcquired', stage: 'train', attempt: 1 });
    assert.equal(run.stage('train').slots, 'held', 'train waits for the slot a holds');
    run.send({ type: 'cancelRequested', reason: 'stop' });
    assert.equal(run.status('train'), 'cancelled');
    // The slot a frees goes to the cleanup stage, not to the cancelled one.
    assert.deepEqual(spawned(run.exit('a', 143)), ['cleanup']);
    assert.equal(run.status('train'), 'cancelled');
  });

  it('starts a stage granted its pool slots in a restored run once', () => {
    const run = new RunDriver(
      pipelineOf([stageSpec('a'), stageSpec('train', { resources: { gpu: 1 } })], {
        pools: { gpu: 1 },
        concurrency: 3,
      }),
    );
    run.start();
    const { rejected, effects, state } = transition(plainState(run.state), {
      type: 'slotsAcquired',
      stage: 'train',
      attempt: 1,
      at: run.now,
    });
    assert.equal(rejected, undefined);
    assert.deepEqual(spawned(effects), ['train']);
    assert.equal(state.stages['train']?.attempt, 1);
  });

  it('does not start a stage queued for its pool slots again after a retry before it holds them', () => {
    const retry = { attempts: 2, backoffMs: 1000, factor: 1, maxBackoffMs: 1000, jitter: 0 };
    const run = new RunDriver(
      pipelineOf(
        [
          stageSpec('e', { resources: { gpu: 1 } }),
          stageSpec('train', { resources: { gpu: 1 }, retry }),
          stageSpec('a'),
          stageSpec('b'),
          stageSpec('c'),
        ],
        { pools: { gpu: 3 }, concurrency: 2 },
      ),
    );
    assert.deepEqual(spawned(run.start()), ['a', 'b']);
    // The run is restored from a checkpoint just before train gets its slots.
    run.state = plainState(run.state);
    run.send({ type: 'slotsAcquired', stage: 'train', attempt: 1 });
    assert.deepEqual(spawned(run.exit('a')), ['train']);
    run.send({ type: 'slotsAcquired', stage: 'e', attempt: 1 });
    assert.deepEqual(spawned(run.exit('train', 1)), ['e']);
    run.send({ type: 'timerFired', timer: { kind: 'retryDue', stage: 'train', attempt: 1 } });
    assert.equal(run.stage('train').slots, 'waiting');
    // The slot b frees goes to c: train waits for the shell's slotsAcquired.
    assert.deepEqual(spawned(run.exit('b')), ['c']);
    assert.equal(run.status('train'), 'waitingForPool');
  });
});
