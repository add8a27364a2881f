import * as assert from 'node:assert/strict';
import { plainState, transition } from '../../src/index';
import { schedulingWork } from '../../src/run/schedule';
import { effectsOf, pipelineOf, RunDriver, spawned, stageSpec } from './harness';

/** A chain of `count` stages, each needing the one before it. */
function chain(count: number) {
  return Array.from({ length: count }, (_, i) =>
    stageSpec(`s${i}`, i === 0 ? {} : { needs: [`s${i - 1}`] }),
  );
}

describe('run: large runs', () => {
  it('runs a 2,000-stage chain to success, looking at a bounded number of stages per event', () => {
    const count = 2000;
    const run = new RunDriver(pipelineOf(chain(count)), { defaultConcurrency: 8 });
    const before = schedulingWork.examined;
    let next = spawned(run.start());
    let events = 1;
    for (let i = 0; i < count; i++) {
      assert.deepEqual(next, [`s${i}`], `stage s${i} starts alone, after s${i - 1}`);
      const { attempt } = run.stage(`s${i}`);
      run.send({ type: 'stageStarted', stage: `s${i}`, attempt, pid: 100 + i });
      next = spawned(run.exit(`s${i}`));
      events += 2;
    }
    assert.equal(run.state.status, 'succeeded');
    assert.deepEqual(effectsOf(run.effects, 'runFinished'), [
      { type: 'runFinished', status: 'succeeded' },
    ]);
    // The first event looks at every stage once; each later one only at what it changed.
    // Walking every stage on every event would be count × events, about 8 million.
    const examined = schedulingWork.examined - before;
    assert.ok(examined <= count + 4 * events, `examined ${examined} stages for ${events} events`);
  });

  it('names the first bad need in declaration order, as a pass over every stage would', () => {
    const run = new RunDriver(
      pipelineOf([
        stageSpec('report', { needs: ['lint', 'build'] }),
        stageSpec('lint', { needs: ['build'] }),
        stageSpec('build'),
      ]),
    );
    run.start();
    run.exit('build', 1);
    assert.equal(run.stage('report').reason, "not run: it needs 'build', which failed");
    assert.equal(run.stage('lint').reason, "not run: it needs 'build', which failed");
  });

  it('skips a stage declared before the stage whose skip reaches it', () => {
    const run = new RunDriver(
      pipelineOf([
        stageSpec('deploy', { needs: ['test'] }),
        stageSpec('test', { needs: ['build'] }),
        stageSpec('build'),
        stageSpec('docs', { needs: ['build'], continueOnError: false }),
      ]),
    );
    run.start();
    run.exit('build', 2);
    assert.equal(run.stage('test').reason, "not run: it needs 'build', which failed");
    assert.equal(run.stage('deploy').reason, "not run: it needs 'test', which was skipped");
    assert.equal(run.status('docs'), 'skipped');
    assert.equal(run.state.status, 'failed');
  });

  it('starts stages made ready by one exit in declaration order under the cap', () => {
    const run = new RunDriver(
      pipelineOf(
        [
          stageSpec('root'),
          stageSpec('z', { needs: ['root'] }),
          stageSpec('y', { needs: ['root'] }),
          stageSpec('x', { needs: ['root'] }),
        ],
        { concurrency: 2 },
      ),
    );
    run.start();
    assert.deepEqual(spawned(run.exit('root')), ['z', 'y']);
    assert.equal(run.status('x'), 'ready');
    assert.deepEqual(spawned(run.exit('y')), ['x']);
  });

  it('looks at each stage once in the first event of a restored run with stages in pools', () => {
    // Half the stages run holding their pool slots, half wait in the pool's queue.
    const count = 200;
    const stages = Array.from({ length: count }, (_, i) =>
      stageSpec(`s${i}`, { resources: { p: 1 } }),
    );
    const run = new RunDriver(pipelineOf(stages, { pools: { p: count / 2 }, concurrency: count }));
    run.start();
    for (let i = 0; i < count / 2; i++) {
      run.send({ type: 'slotsAcquired', stage: `s${i}`, attempt: 1 });
    }
    assert.equal(run.status('s0'), 'running');
    assert.equal(run.stage(`s${count - 1}`).slots, 'waiting');
    // A restored state (a plain copy) was settled by no scheduling pass: one look at every stage.
    const before = schedulingWork.examined;
    const { rejected } = transition(plainState(run.state), {
      type: 'stageProgress',
      stage: 's0',
      attempt: 1,
      progress: { percent: 5 },
      at: run.now,
    });
    assert.equal(rejected, undefined);
    const examined = schedulingWork.examined - before;
    assert.ok(examined <= count, `examined ${examined} stages of ${count}`);
  });

  it('looks at each of 1,000 independent stages once when the run starts', () => {
    const count = 1000;
    const stages = Array.from({ length: count }, (_, i) => stageSpec(`s${i}`));
    const before = schedulingWork.examined;
    const run = new RunDriver(pipelineOf(stages, { concurrency: 1 }));
    assert.deepEqual(spawned(run.start()), ['s0']);
    // Every stage once to promote it, and the one started taken off the ready heap.
    const examined = schedulingWork.examined - before;
    assert.ok(examined <= count + 1, `examined ${examined} stages of ${count}`);
  });

  it('does not look at the stages that need a stage while it waits for its check or its items', () => {
    const count = 500;
    const dependants = Array.from({ length: count }, (_, i) =>
      stageSpec(`d${i}`, { needs: ['c'] }),
    );
    const waits = [
      { deps: ['x'] }, // a cacheable stage waits for its check
      { foreach: '*.txt' }, // a foreach glob waits for the shell to list its files
    ];
    for (const wait of waits) {
      const run = new RunDriver(
        pipelineOf([stageSpec('a'), stageSpec('c', { needs: ['a'], ...wait }), ...dependants]),
      );
      run.start();
      const before = schedulingWork.examined;
      run.exit('a', 0, { digest: 'dg-a' });
      assert.equal(run.status('c'), 'pending');
      const examined = schedulingWork.examined - before;
      assert.ok(examined < count, `examined ${examined} stages while c waits`);
    }
  });

  it('looks at every stage of a restored run once even when a stage fails to start', () => {
    // a's command reads an output s never gives: it fails to start, and scheduling goes round again.
    const count = 500;
    const waiting = Array.from({ length: count }, (_, i) => stageSpec(`w${i}`, { needs: ['z'] }));
    const run = new RunDriver(
      pipelineOf([
        stageSpec('z'),
        stageSpec('s'),
        stageSpec('a', { needs: ['s'], run: 'go ${{ stages.s.outputs.none }}' }),
        ...waiting,
      ]),
    );
    run.start();
    run.state = plainState(run.state);
    const before = schedulingWork.examined;
    run.exit('s');
    assert.equal(run.status('a'), 'failed');
    const examined = schedulingWork.examined - before;
    assert.ok(examined < 2 * count, `examined ${examined} stages of ${count + 3}`);
  });
});
