import * as assert from 'node:assert/strict';
import { effectsOf, pipelineOf, RunDriver, spawned, stageSpec } from './harness';

describe('run: scheduling', () => {
  it('starts stages without dependencies under the cap, in declaration order', () => {
    const run = new RunDriver(
      pipelineOf([stageSpec('c'), stageSpec('a'), stageSpec('b')], { concurrency: 2 }),
    );
    assert.equal(run.state.status, 'queued');
    const effects = run.start();
    assert.deepEqual(spawned(effects), ['c', 'a']);
    assert.equal(run.state.status, 'running');
    assert.equal(run.status('b'), 'ready');
    assert.deepEqual(spawned(run.exit('a')), ['b']);
    assert.equal(run.stage('b').attempt, 1);
  });

  it('runs dependants after their needs succeed and then succeeds the run', () => {
    const run = new RunDriver(
      pipelineOf([stageSpec('build'), stageSpec('test', { needs: ['build'] })]),
    );
    assert.deepEqual(spawned(run.start()), ['build']);
    assert.equal(run.status('test'), 'pending');
    assert.deepEqual(spawned(run.exit('build')), ['test']);
    const effects = run.exit('test');
    assert.equal(run.state.status, 'succeeded');
    assert.equal(run.state.endedAt, run.now);
    assert.deepEqual(effectsOf(effects, 'runFinished'), [
      { type: 'runFinished', status: 'succeeded' },
    ]);
    assert.equal(effects.at(-2)?.type, 'persist');
  });

  it('substitutes inputs and stage outputs into the command through the environment', () => {
    const run = new RunDriver(
      pipelineOf(
        [
          stageSpec('a'),
          stageSpec('b', {
            needs: ['a'],
            run: 'analyze --n "${{ stages.a.outputs.count }}" --p "${{ inputs.p }}"',
            cwd: 'tools/${{ inputs.p }}',
            env: { MODE: 'fast' },
          }),
        ],
        {
          env: { MODE: 'slow', SHARED: '1' },
          inputs: [{ id: 'p', prompt: 'P?', type: 'text' }],
        },
      ),
      { inputs: { p: 'x' } },
    );
    run.start();
    const [spawn] = effectsOf(run.exit('a', 0, { outputs: { count: '7' } }), 'spawnStage');
    assert.ok(spawn);
    assert.equal(spawn.command, 'analyze --n "${BATON_OUT_A__COUNT}" --p "${BATON_INPUT_P}"');
    assert.equal(spawn.cwd, 'tools/x');
    assert.deepEqual(spawn.env, {
      MODE: 'fast',
      SHARED: '1',
      BATON_OUT_A__COUNT: '7',
      BATON_INPUT_P: 'x',
    });
  });

  it('fails a stage whose command reads an output nobody set, without retrying', () => {
    const run = new RunDriver(
      pipelineOf([
        stageSpec('a'),
        stageSpec('b', {
          needs: ['a'],
          run: 'echo ${{ stages.a.outputs.missing }}',
          retry: { attempts: 3, backoffMs: 1, factor: 1, maxBackoffMs: 1, jitter: 0 },
        }),
      ]),
    );
    run.start();
    const effects = run.exit('a');
    assert.deepEqual(spawned(effects), []);
    assert.equal(run.status('b'), 'failed');
    assert.match(run.stage('b').reason ?? '', /could not build the command: .*missing/);
    assert.equal(run.state.status, 'failed');
  });

  it('skips dependants of a failed stage, naming the failure, while independent stages go on', () => {
    const run = new RunDriver(
      pipelineOf([
        stageSpec('a'),
        stageSpec('b', { needs: ['a'] }),
        stageSpec('c', { needs: ['b'] }),
        stageSpec('d'),
      ]),
    );
    run.start();
    run.exit('a', 2);
    assert.equal(run.status('a'), 'failed');
    assert.equal(run.stage('a').reason, 'exited with code 2');
    assert.equal(run.status('b'), 'skipped');
    assert.equal(run.stage('b').reason, "not run: it needs 'a', which failed");
    assert.equal(run.status('c'), 'skipped');
    assert.equal(run.stage('c').reason, "not run: it needs 'b', which was skipped");
    assert.equal(run.state.status, 'running');
    const effects = run.exit('d');
    assert.equal(run.state.status, 'failed');
    assert.equal(run.state.reason, "stage 'a' failed: exited with code 2");
    assert.deepEqual(effectsOf(effects, 'runFinished'), [
      { type: 'runFinished', status: 'failed', reason: "stage 'a' failed: exited with code 2" },
    ]);
  });

  it('runs dependants of a continue_on_error failure and lets the run succeed', () => {
    const run = new RunDriver(
      pipelineOf([
        stageSpec('lint', { continueOnError: true }),
        stageSpec('b', { needs: ['lint'] }),
      ]),
    );
    run.start();
    assert.deepEqual(spawned(run.exit('lint', 1)), ['b']);
    run.exit('b');
    assert.equal(run.status('lint'), 'failed');
    assert.equal(run.state.status, 'succeeded');
  });

  it('names every failed stage in the run reason', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a'), stageSpec('b')]));
    run.start();
    run.exit('a', 1);
    run.exit('b', undefined, { exitCode: undefined, signal: 'SIGKILL' } as never);
    assert.equal(
      run.state.reason,
      "2 stages failed: 'a' (exited with code 1); 'b' (killed by signal SIGKILL)",
    );
  });

  it('fails a stage that exits 0 but leaves a declared output unmatched', () => {
    const run = new RunDriver(
      pipelineOf([stageSpec('a', { outputs: ['out/*.json'], cache: false })]),
    );
    run.start();
    run.exit('a', 0, { missingOutputs: ['out/*.json'] });
    assert.equal(run.status('a'), 'failed');
    assert.equal(run.stage('a').reason, 'declared output out/*.json matched no file');
  });

  it('fails a stage that could not be spawned, with the error', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a')]));
    run.start();
    run.send({ type: 'stageExited', stage: 'a', attempt: 1, error: 'spawn sh ENOENT', random: 0 });
    assert.equal(run.stage('a').reason, 'could not start: spawn sh ENOENT');
    assert.equal(run.state.status, 'failed');
  });

  it('succeeds an empty pipeline at once', () => {
    const run = new RunDriver(pipelineOf([]));
    const effects = run.start();
    assert.equal(run.state.status, 'succeeded');
    assert.deepEqual(effectsOf(effects, 'runFinished').length, 1);
  });

  it('records the pid and progress of a live attempt', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a')]));
    run.start();
    run.advance(5);
    assert.deepEqual(run.send({ type: 'stageStarted', stage: 'a', attempt: 1, pid: 42 }), [
      { type: 'persist' },
    ]);
    assert.equal(run.stage('a').pid, 42);
    const effects = run.send({
      type: 'stageProgress',
      stage: 'a',
      attempt: 1,
      progress: { percent: 40, message: 'half-way' },
    });
    assert.deepEqual(effects, [], 'progress alone is not worth a checkpoint');
    assert.deepEqual(run.stage('a').progress, { percent: 40, message: 'half-way' });
  });

  it('uses the default concurrency when the pipeline sets none', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a'), stageSpec('b'), stageSpec('c')]), {
      defaultConcurrency: 1,
    });
    assert.deepEqual(spawned(run.start()), ['a']);
  });
});
