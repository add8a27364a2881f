import * as assert from 'node:assert/strict';
import { runRanMs, snapshot } from '../../src/index';
import { pipelineOf, RunDriver, stageSpec } from './harness';

describe('run: snapshot', () => {
  it('shows stages, timings, progress, prompts, counts and an overall percent', () => {
    const run = new RunDriver(
      pipelineOf(
        [
          stageSpec('a'),
          stageSpec('b'),
          stageSpec('c', { needs: ['a'] }),
          stageSpec('d', { needs: ['a'] }),
        ],
        { inputs: [{ id: 'key', prompt: 'Key?', type: 'text', secret: true }] },
      ),
      { inputs: { key: 's3cret' } },
    );
    const t0 = run.now;
    run.start();
    run.advance(1000);
    run.exit('a');
    run.send({ type: 'stageProgress', stage: 'b', attempt: 1, progress: { value: 1, total: 4 } });
    run.send({ type: 'stageProgress', stage: 'c', attempt: 1, progress: { percent: 50 } });
    run.send({
      type: 'promptOpened',
      promptId: 'p',
      stage: 'd',
      attempt: 1,
      message: 'Pick',
      promptType: 'text',
    });
    const view = snapshot(run.state, run.now + 500);
    assert.equal(view.status, 'waiting');
    assert.deepEqual(view.inputs, { key: '••••••' });
    assert.equal(view.percent, 43.8, '(1 + 0.25 + 0.5 + 0) / 4');
    assert.equal(view.counts.succeeded, 1);
    assert.equal(view.counts.running, 2);
    assert.equal(view.counts.waiting, 1);
    assert.equal(view.durationMs, 1500);
    assert.deepEqual(view.stages[0], {
      id: 'a',
      status: 'succeeded',
      attempt: 1,
      maxAttempts: 1,
      needs: [],
      startedAt: t0,
      endedAt: t0 + 1000,
      durationMs: 1000,
      exitCode: 0,
    });
    assert.equal(view.stages[1]?.durationMs, 1500);
    assert.deepEqual(view.stages[2]?.needs, ['a']);
    assert.deepEqual(
      view.prompts.map((p) => p.id),
      ['d/p'],
    );
  });

  it('reports 100% for a finished run and 0% before it starts', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a')]));
    assert.equal(snapshot(run.state, run.now).percent, 0);
    run.start();
    run.exit('a');
    assert.equal(snapshot(run.state, run.now + 10).percent, 100);
  });
});

describe('run: time it ran and honest percent', () => {
  it('counts the goes of a resumed run, not the wait before the resume', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a')]));
    run.start();
    run.advance(1000);
    run.exit('a', 3);
    assert.equal(run.state.status, 'failed');
    assert.equal(snapshot(run.state, run.now).percent, 0, 'a failed stage is not done');
    run.advance(9 * 60_000);
    run.send({ type: 'runResumed', interactive: false });
    run.advance(1000);
    run.exit('a', 0);
    assert.equal(run.state.status, 'succeeded');
    assert.equal(run.state.resumes, 1);
    assert.equal(runRanMs(run.state, run.now), 2000);
    assert.equal(snapshot(run.state, run.now + 60_000).durationMs, 2000);
    assert.equal(snapshot(run.state, run.now).percent, 100);
  });
});
