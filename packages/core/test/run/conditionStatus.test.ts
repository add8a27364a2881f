import * as assert from 'node:assert/strict';
import type { StageSpec } from '../../src/index';
import { pipelineOf, RunDriver, spawned, stageSpec } from './harness';

/** A run of `a` and a stage `c` that needs it under `condition`; `a` has started. */
function afterA(condition: string, a: Partial<StageSpec> = {}): RunDriver {
  const run = new RunDriver(
    pipelineOf([stageSpec('a', a), stageSpec('c', { needs: ['a'], if: condition })]),
  );
  run.start();
  return run;
}

describe('run: status functions and names in if: conditions', () => {
  it('runs if: success() after a success or an allowed failure, and skips it after a failure', () => {
    assert.deepEqual(spawned(afterA('success()').exit('a')), ['c']);
    assert.deepEqual(spawned(afterA('success()', { continueOnError: true }).exit('a', 1)), ['c']);
    const failed = afterA('success()');
    failed.exit('a', 1);
    assert.equal(failed.status('c'), 'skipped');
    assert.equal(failed.stage('c').reason, 'not run: its condition is false (if: success())');
  });

  it('skips if: cancelled() in a run nobody cancelled', () => {
    const run = afterA('cancelled()');
    run.exit('a');
    assert.equal(run.status('c'), 'skipped');
  });

  it('runs if: cancelled() once the run is cancelled', () => {
    const run = afterA('cancelled()');
    run.send({ type: 'cancelRequested', reason: 'stop' });
    assert.deepEqual(spawned(run.exit('a', 143)), ['c']);
  });

  it('keeps success() false in a cancelled run', () => {
    const run = afterA('success() && cancelled()');
    run.send({ type: 'cancelRequested', reason: 'stop' });
    run.exit('a', 0);
    assert.equal(run.status('c'), 'skipped');
  });

  it('keeps failure() false in a cancelled run, even after a failure', () => {
    const run = new RunDriver(
      pipelineOf([
        stageSpec('a'),
        stageSpec('b'),
        stageSpec('c', { needs: ['a', 'b'], if: 'failure() && cancelled()' }),
      ]),
    );
    run.start();
    run.exit('a', 1);
    run.send({ type: 'cancelRequested', reason: 'stop' });
    run.exit('b', 143);
    assert.equal(run.status('c'), 'skipped');
  });

  it('keeps a stage whose condition calls always() on either side of an operator for a cancelled run', () => {
    for (const condition of ["inputs.x == 'y' || always()", "always() || inputs.x == 'y'"]) {
      const run = afterA(condition);
      run.send({ type: 'cancelRequested', reason: 'stop' });
      assert.deepEqual(spawned(run.exit('a', 143)), ['c'], condition);
    }
    // Conditions that call neither, an operator or a bare name, are cancelled with the run.
    for (const condition of ["inputs.x != 'y'", 'inputs.x']) {
      const run = afterA(condition);
      run.send({ type: 'cancelRequested', reason: 'stop' });
      run.exit('a', 143);
      assert.equal(run.status('c'), 'cancelled', condition);
      assert.equal(run.stage('c').reason, 'cancelled before it started', condition);
    }
  });

  it('reads item only as a whole, outputs only under outputs, and no inherited names', () => {
    const each = new RunDriver(
      pipelineOf([
        stageSpec('list'),
        stageSpec('each', {
          needs: ['list'],
          foreach: '${{ stages.list.outputs.papers }}',
          if: "item != 'b'",
        }),
      ]),
    );
    each.start();
    const units = spawned(each.exit('list', 0, { outputs: { papers: '["a","b"]' } }));
    assert.equal(units.length, 1);
    const named = new RunDriver(
      pipelineOf([
        stageSpec('list'),
        stageSpec('each', {
          needs: ['list'],
          foreach: '${{ stages.list.outputs.papers }}',
          if: 'item.name',
        }),
      ]),
    );
    named.start();
    assert.deepEqual(spawned(named.exit('list', 0, { outputs: { papers: '["a"]' } })), []);
    for (const condition of [
      'item.name',
      'stages.a.result.n',
      'inputs.constructor',
      'item.a.outputs.n',
    ]) {
      const run = afterA(condition);
      run.exit('a', 0, { outputs: { n: '1' } });
      assert.equal(run.status('c'), 'skipped', condition);
    }
    const outputs = afterA('stages.a.outputs.n');
    assert.deepEqual(spawned(outputs.exit('a', 0, { outputs: { n: '1' } })), ['c']);
  });

  it('reads stages.a.outputs from stage a even when an input is also named a', () => {
    const run = new RunDriver(
      pipelineOf(
        [stageSpec('a'), stageSpec('c', { needs: ['a'], if: "stages.a.outputs.n == '1'" })],
        { inputs: [{ id: 'a', prompt: 'A?', type: 'text' }] },
      ),
      { inputs: { a: 'no' } },
    );
    run.start();
    assert.deepEqual(spawned(run.exit('a', 0, { outputs: { n: '1' } })), ['c']);
  });

  it('keeps a stage for a cancelled run when cancelled() is inside another function', () => {
    // startsWith reads the status as its text, `true` once the run is cancelled.
    const run = afterA("startsWith(cancelled(), 'tr')");
    run.send({ type: 'cancelRequested', reason: 'stop' });
    assert.deepEqual(spawned(run.exit('a', 143)), ['c']);
  });

  it('judges success() false once the run is cancelled, even when every need succeeded', () => {
    // `c` passed its condition before the cancel and waits for its check; `always()` keeps it
    // pending through the cancel, and the check brings it back to be judged again.
    const run = new RunDriver(
      pipelineOf([
        stageSpec('a'),
        stageSpec('b'),
        stageSpec('c', { needs: ['a'], deps: ['x'], if: 'success() && always()' }),
      ]),
    );
    run.start();
    run.exit('a', 0, { digest: 'dg-a' });
    assert.equal(run.status('c'), 'pending');
    run.send({ type: 'cancelRequested', reason: 'stop' });
    assert.equal(run.status('c'), 'pending');
    const effects = run.send({
      type: 'stageChecked',
      stage: 'c',
      fingerprint: 'f',
      action: 'run',
      reason: 'r',
    });
    assert.deepEqual(spawned(effects), []);
    assert.equal(run.status('c'), 'skipped');
    assert.equal(
      run.stage('c').reason,
      'not run: its condition is false (if: success() && always())',
    );
  });
});
