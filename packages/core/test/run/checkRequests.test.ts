import * as assert from 'node:assert/strict';
import { plainState, transition } from '../../src/index';
import { effectsOf, pipelineOf, RunDriver, spawned, stageSpec } from './harness';

const RUN = { type: 'stageChecked', fingerprint: 'f', action: 'run', reason: 'r' } as const;

describe('run: what a check asks the shell, and when', () => {
  it('lists the inputs a stage reads sorted by id, and gives its cwd only when it has one', () => {
    const pipeline = pipelineOf(
      [
        stageSpec('t', {
          deps: ['x'],
          run: 'go ${{ inputs.zeta }} ${{ inputs.alpha }}',
          cwd: 'sub',
        }),
        stageSpec('u', { deps: ['x'] }),
      ],
      {
        inputs: [
          { id: 'zeta', prompt: 'z', type: 'text' },
          { id: 'alpha', prompt: 'a', type: 'text' },
        ],
      },
    );
    const run = new RunDriver(pipeline, { inputs: { zeta: 'Z', alpha: 'A' } });
    const [t, u] = effectsOf(run.start(), 'checkStage');
    assert.deepEqual(Object.keys(t?.inputs ?? {}), ['alpha', 'zeta']);
    assert.equal(t?.cwd, 'sub');
    assert.equal(u !== undefined && 'cwd' in u, false);
  });

  it('gives a need that failed with continue_on_error as the digest failed', () => {
    const run = new RunDriver(
      pipelineOf([
        stageSpec('a', { continueOnError: true }),
        stageSpec('b', { needs: ['a'], deps: ['x'] }),
      ]),
    );
    run.start();
    const [check] = effectsOf(run.exit('a', 1, { digest: 'dg-a' }), 'checkStage');
    assert.deepEqual(check?.upstream, { a: 'failed' });
  });

  it('asks once per stage, even when a later event looks at every stage again', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a'), stageSpec('b', { deps: ['x'] })]));
    run.start();
    // A plain copy was settled by no scheduling pass: the next event looks at every stage.
    const { state, effects } = transition(plainState(run.state), {
      type: 'stageProgress',
      stage: 'a',
      attempt: 1,
      progress: { percent: 50 },
      at: run.now,
    });
    assert.equal(state.stages['b']?.checking, true);
    assert.equal(state.stages['b']?.status, 'pending');
    assert.deepEqual(effectsOf(effects, 'checkStage'), []);
  });

  it('does not check a stage again once the shell judged it to run', () => {
    const run = new RunDriver(pipelineOf([stageSpec('b', { deps: ['x'] })]));
    run.start();
    const effects = run.send({ ...RUN, stage: 'b' });
    assert.deepEqual(spawned(effects), ['b']);
    assert.deepEqual(effectsOf(effects, 'checkStage'), []);
  });

  it('asks for no check when the command cannot be built: the stage fails at its start', () => {
    const run = new RunDriver(
      pipelineOf([
        stageSpec('a'),
        stageSpec('b', { needs: ['a'], deps: ['x'], run: 'use ${{ stages.a.outputs.missing }}' }),
      ]),
    );
    run.start();
    const effects = run.exit('a', 0, { digest: 'dg-a' });
    assert.deepEqual(effectsOf(effects, 'checkStage'), []);
    assert.equal(run.status('b'), 'failed');
    assert.match(run.stage('b').reason ?? '', /^could not build the command: \S/);
  });

  it('forces the units of a forced fan-out stage', () => {
    const run = new RunDriver(
      pipelineOf([
        stageSpec('each', {
          matrix: { axes: { os: ['linux'] }, include: [], exclude: [] },
          deps: ['x'],
          run: 'go',
        }),
      ]),
      { selection: { force: ['each'] } },
    );
    const checks = effectsOf(run.start(), 'checkStage');
    assert.deepEqual(
      checks.map((c) => [c.stage, c.forced]),
      [['each[linux]', true]],
    );
  });

  it('forces every check of a run forced whole (--force with no stage)', () => {
    const run = new RunDriver(
      pipelineOf([stageSpec('a', { deps: ['x'] }), stageSpec('b', { deps: ['y'] })]),
      { selection: { force: true } },
    );
    const checks = effectsOf(run.start(), 'checkStage');
    assert.deepEqual(
      checks.map((c) => [c.stage, c.forced]),
      [
        ['a', true],
        ['b', true],
      ],
    );
  });

  it('refuses a check that comes after the run cancelled the stage it was for', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a'), stageSpec('b', { deps: ['x'] })]));
    run.start();
    run.send({ type: 'cancelRequested', reason: 'stop' });
    assert.equal(
      run.reject({ ...RUN, stage: 'b' }),
      "stage 'b' is not waiting for a check (it is cancelled)",
    );
  });

  it('refuses a check of an unknown stage or one that is running, and a reuse with action run', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a'), stageSpec('b', { deps: ['x'] })]));
    run.start();
    assert.equal(run.reject({ ...RUN, stage: 'nope' }), "no stage 'nope' in this run");
    assert.equal(
      run.reject({ ...RUN, stage: 'a' }),
      "stage 'a' is not waiting for a check (it is running)",
    );
    const reuse = { runId: 'old', outputs: { n: '1' }, digest: 'dg' };
    assert.deepEqual(spawned(run.send({ ...RUN, stage: 'b', reuse })), ['b']);
    assert.equal(run.status('b'), 'running');
    assert.equal(run.stage('b').upToDate, undefined);
  });
});
