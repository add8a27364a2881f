import * as assert from 'node:assert/strict';
import { pipelineOf, RunDriver, spawned, stageSpec } from './harness';

describe('run: if conditions', () => {
  it('runs an if: failure() cleanup after a failed stage, and the run still fails', () => {
    const run = new RunDriver(
      pipelineOf([
        stageSpec('build'),
        stageSpec('test', { needs: ['build'] }),
        stageSpec('cleanup', { needs: ['test'], if: 'failure()' }),
        stageSpec('report', { needs: ['test'] }),
      ]),
    );
    run.start();
    assert.deepEqual(spawned(run.exit('build', 2)), ['cleanup']);
    assert.equal(run.status('test'), 'skipped');
    assert.equal(run.status('report'), 'skipped');
    run.exit('cleanup');
    assert.equal(run.status('cleanup'), 'succeeded');
    assert.equal(run.state.status, 'failed');
    assert.match(run.state.reason ?? '', /stage 'build' failed/);
  });

  it('skips an if: failure() stage with the reason when everything succeeded', () => {
    const run = new RunDriver(
      pipelineOf([stageSpec('a'), stageSpec('cleanup', { needs: ['a'], if: 'failure()' })]),
    );
    run.start();
    run.exit('a');
    assert.equal(run.status('cleanup'), 'skipped');
    assert.equal(run.stage('cleanup').reason, 'not run: its condition is false (if: failure())');
    assert.equal(run.state.status, 'succeeded');
  });

  it('runs an if: always() stage after success and after failure', () => {
    for (const code of [0, 1]) {
      const run = new RunDriver(
        pipelineOf([stageSpec('a'), stageSpec('notify', { needs: ['a'], if: 'always()' })]),
      );
      run.start();
      assert.deepEqual(spawned(run.exit('a', code)), ['notify']);
    }
  });

  it('reads inputs and outputs, with success() implied', () => {
    const pipeline = pipelineOf(
      [
        stageSpec('scan', {}),
        stageSpec('report', {
          needs: ['scan'],
          if: "stages.scan.outputs.changed > 0 && contains(inputs.pillars, 'cost')",
        }),
      ],
      { inputs: [{ id: 'pillars', prompt: 'Which?', type: 'multi', options: ['cost', 'risk'] }] },
    );
    const yes = new RunDriver(pipeline, { inputs: { pillars: ['risk', 'cost'] } });
    yes.start();
    assert.deepEqual(spawned(yes.exit('scan', 0, { outputs: { changed: '3' } })), ['report']);
    const no = new RunDriver(pipeline, { inputs: { pillars: ['risk'] } });
    no.start();
    no.exit('scan', 0, { outputs: { changed: '3' } });
    assert.equal(no.status('report'), 'skipped');
    assert.equal(no.state.status, 'succeeded');
  });

  it('skips the dependants of a skipped stage unless their condition says otherwise', () => {
    const run = new RunDriver(
      pipelineOf([
        stageSpec('a', { if: 'false' }),
        stageSpec('b', { needs: ['a'] }),
        stageSpec('c', { needs: ['a'], if: 'always()' }),
      ]),
    );
    assert.deepEqual(spawned(run.start()), ['c']);
    assert.equal(run.status('a'), 'skipped');
    assert.match(run.stage('b').reason ?? '', /which was skipped/);
  });

  it('runs if: cancelled() and if: always() stages once a cancelled run stops its stages', () => {
    const run = new RunDriver(
      pipelineOf([
        stageSpec('long'),
        stageSpec('next', { needs: ['long'] }),
        stageSpec('onCancel', { needs: ['long'], if: 'cancelled()' }),
        stageSpec('onFailure', { needs: ['long'], if: 'failure()' }),
      ]),
    );
    run.start();
    run.send({ type: 'cancelRequested' });
    assert.equal(run.status('next'), 'cancelled');
    assert.equal(run.status('onFailure'), 'cancelled');
    assert.equal(run.status('onCancel'), 'pending');
    assert.deepEqual(spawned(run.exit('long', 143, { signal: 'SIGTERM' })), ['onCancel']);
    run.exit('onCancel');
    assert.equal(run.state.status, 'cancelled');
  });

  it('still runs an if: always() stage that was ready, waiting for a concurrency slot, when the run was stopped', () => {
    const run = new RunDriver(
      pipelineOf([stageSpec('long'), stageSpec('tidy', { if: 'always()' }), stageSpec('plain')], {
        concurrency: 1,
      }),
    );
    run.start();
    assert.equal(run.status('long'), 'running');
    assert.equal(run.status('tidy'), 'ready');
    run.send({ type: 'cancelRequested' });
    assert.equal(run.status('plain'), 'cancelled');
    assert.equal(run.status('tidy'), 'ready');
    assert.deepEqual(spawned(run.exit('long', 143, { signal: 'SIGTERM' })), ['tidy']);
    run.exit('tidy');
    assert.equal(run.status('tidy'), 'succeeded');
    assert.equal(run.state.status, 'cancelled');
  });

  it('cancels an if: always() stage that was waiting for its pool slots when the run was stopped', () => {
    const run = new RunDriver(
      pipelineOf(
        [stageSpec('long'), stageSpec('tidy', { if: 'always()', resources: { gpu: 1 } })],
        { pools: { gpu: 1 } },
      ),
    );
    run.start();
    assert.equal(run.status('tidy'), 'waitingForPool');
    run.send({ type: 'cancelRequested' });
    // A stopping run gives its pool tickets up, whatever the stage's condition.
    assert.equal(run.status('tidy'), 'cancelled');
    assert.equal(run.stage('tidy').reason, 'cancelled while waiting for its pool slots');
  });
});
