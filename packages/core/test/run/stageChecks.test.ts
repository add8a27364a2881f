import * as assert from 'node:assert/strict';
import type { FingerprintParts } from '../../src/index';
import { createRun, decideUnit, InvalidSelectionError, resolveSelection } from '../../src/index';
import { effectsOf, pipelineOf, RunDriver, spawned, stageSpec } from './harness';

const PARTS: FingerprintParts = {
  command: 'c1',
  cwd: 'w1',
  env: { MODE: 'e1' },
  inputs: { pillars: 'i1' },
  upstream: { translate: 'u1' },
  deps: { 'data/01.txt': 'd1', 'data/02.txt': 'd2' },
};

function chain() {
  return pipelineOf(
    [
      stageSpec('translate', { deps: ['data/*.txt'], run: 'translate ${{ inputs.pillars }}' }),
      stageSpec('analyze', { needs: ['translate'], outputs: ['out/a.json'] }),
      stageSpec('report', { needs: ['analyze'] }),
    ],
    { inputs: [{ id: 'pillars', prompt: 'p', type: 'text' }] },
  );
}

describe('run: incremental checks', () => {
  it('asks for a check of a cacheable stage instead of spawning it', () => {
    const run = new RunDriver(chain(), { inputs: { pillars: 'P1' } });
    const effects = run.start();
    assert.deepEqual(spawned(effects), []);
    const [check] = effectsOf(effects, 'checkStage');
    assert.equal(check?.stage, 'translate');
    assert.deepEqual(check?.inputs, { pillars: 'P1' });
    assert.deepEqual(check?.upstream, {});
    assert.equal(check?.forced, false);
    assert.equal(run.stage('translate').checking, true);
    assert.equal(run.status('translate'), 'pending');
  });

  it('runs a stage judged to run, and records its success under its fingerprint', () => {
    const run = new RunDriver(chain(), { inputs: { pillars: 'P1' } });
    run.start();
    const effects = run.send({
      type: 'stageChecked',
      stage: 'translate',
      fingerprint: 'fp-t',
      action: 'run',
      reason: 'never ran',
    });
    assert.deepEqual(spawned(effects), ['translate']);
    assert.equal(run.stage('translate').plan, 'never ran');
    const exit = run.exit('translate', 0, { outputs: { n: '3' }, digest: 'dg-t' });
    assert.deepEqual(effectsOf(exit, 'recordStage'), [
      { type: 'recordStage', stage: 'translate', attempt: 1, fingerprint: 'fp-t' },
    ]);
    const [check] = effectsOf(exit, 'checkStage');
    assert.deepEqual(
      check?.upstream,
      { translate: 'dg-t' },
      'the dependant is checked with the digest',
    );
  });

  it('skips an up-to-date stage with the recorded outputs, and its dependants go on', () => {
    const run = new RunDriver(chain(), { inputs: { pillars: 'P1' } });
    run.start();
    const effects = run.send({
      type: 'stageChecked',
      stage: 'translate',
      fingerprint: 'fp-t',
      action: 'skip',
      reason: 'up to date: unchanged since run r0',
      reuse: { runId: 'r0', outputs: { n: '3' }, digest: 'dg-t' },
    });
    assert.deepEqual(spawned(effects), []);
    const stage = run.stage('translate');
    assert.equal(stage.status, 'succeeded');
    assert.equal(stage.upToDate, 'r0');
    assert.deepEqual(stage.outputs, { n: '3' });
    assert.deepEqual(
      effectsOf(effects, 'recordStage'),
      [],
      'a reused success is not recorded again',
    );
    assert.deepEqual(effectsOf(effects, 'checkStage')[0]?.upstream, { translate: 'dg-t' });
  });

  it('refuses a skip without a recorded success, and a check nobody asked for', () => {
    const run = new RunDriver(chain(), { inputs: { pillars: 'P1' } });
    run.start();
    const base = { type: 'stageChecked', fingerprint: 'f', reason: 'r' } as const;
    assert.match(run.reject({ ...base, stage: 'translate', action: 'skip' }), /recorded success/);
    assert.match(run.reject({ ...base, stage: 'analyze', action: 'run' }), /not waiting/);
  });

  it('spawns stages without deps or outputs, and those with cache: false, at once', () => {
    const run = new RunDriver(
      pipelineOf([stageSpec('phony'), stageSpec('optedOut', { deps: ['x'], cache: false })]),
    );
    assert.deepEqual(spawned(run.start()), ['phony', 'optedOut']);
  });

  it('runs a stage whose upstream digest is unknown, saying so', () => {
    const run = new RunDriver(chain(), { inputs: { pillars: 'P1' } });
    run.start();
    run.send({
      type: 'stageChecked',
      stage: 'translate',
      fingerprint: 'f',
      action: 'run',
      reason: 'r',
    });
    const effects = run.exit('translate', 0);
    assert.deepEqual(spawned(effects), ['analyze']);
    assert.match(run.stage('analyze').plan ?? '', /outputs of translate are not known/);
  });

  it('tells the shell which stages are forced, and checks them again on resume', () => {
    const run = new RunDriver(chain(), {
      inputs: { pillars: 'P1' },
      selection: { force: ['translate'] },
    });
    const [check] = effectsOf(run.start(), 'checkStage');
    assert.equal(check?.forced, true);
    run.send({
      type: 'stageChecked',
      stage: 'translate',
      fingerprint: 'f',
      action: 'run',
      reason: 'forced',
    });
    run.send({ type: 'cancelRequested' });
    run.exit('translate', 1);
    assert.equal(run.state.status, 'cancelled');
    const resumed = run.send({ type: 'runResumed', interactive: true });
    assert.equal(effectsOf(resumed, 'checkStage')[0]?.stage, 'translate');
    assert.equal(run.stage('translate').fingerprint, undefined);
  });
});

describe('run selection', () => {
  const pipeline = pipelineOf([
    stageSpec('a'),
    stageSpec('b', { needs: ['a'] }),
    stageSpec('c', { needs: ['b'] }),
    stageSpec('d'),
  ]);

  it('selects the named stages and what they need; the rest are not selected', () => {
    assert.deepEqual(resolveSelection(pipeline, { stages: ['b'] }).selected, ['a', 'b']);
    const run = new RunDriver(pipeline, { selection: { stages: ['b'] } });
    assert.equal(run.status('c'), 'skipped');
    assert.equal(run.stage('d').reason, 'not selected');
    assert.deepEqual(spawned(run.start()), ['a']);
  });

  it('--from selects and forces a stage and everything downstream', () => {
    const resolved = resolveSelection(pipeline, { from: 'b' });
    assert.deepEqual(resolved.selected, ['a', 'b', 'c']);
    assert.deepEqual(resolved.forced, ['b', 'c']);
    assert.equal(resolveSelection(pipeline, { force: true }).forced, 'all');
  });

  it('names unknown stages and the ones there are', () => {
    assert.throws(
      () =>
        createRun({
          runId: 'r',
          pipeline,
          at: 0,
          interactive: false,
          defaultConcurrency: 1,
          selection: { stages: ['nope'] },
        }),
      (error: unknown) =>
        error instanceof InvalidSelectionError && /no stage 'nope'.*a, b, c, d/.test(error.message),
    );
  });
});

describe('decideUnit', () => {
  it('says never ran, forced, and up to date', () => {
    assert.deepEqual(decideUnit({ forced: false, parts: PARTS }), {
      action: 'run',
      reason: 'never ran',
    });
    const match = { runId: 'r7', missing: [], changed: [] };
    assert.equal(decideUnit({ forced: true, parts: PARTS, match }).action, 'run');
    assert.deepEqual(decideUnit({ forced: false, parts: PARTS, match }), {
      action: 'skip',
      reason: 'up to date: unchanged since run r7',
    });
  });

  it('runs when an output file is missing or changed', () => {
    const missing = { runId: 'r7', missing: ['out/report.md'], changed: [] };
    assert.equal(
      decideUnit({ forced: false, parts: PARTS, match: missing }).reason,
      'output out/report.md missing',
    );
    const changed = { runId: 'r7', missing: [], changed: ['out/a.json', 'out/b.json'] };
    assert.equal(
      decideUnit({ forced: false, parts: PARTS, match: changed }).reason,
      'output out/a.json changed (and 1 more)',
    );
  });

  it('says concretely what changed since the newest recorded success', () => {
    const now: FingerprintParts = {
      ...PARTS,
      command: 'c2',
      inputs: { pillars: 'i2' },
      upstream: { translate: 'u2' },
      deps: { 'data/01.txt': 'd1', 'data/02.txt': 'dX', 'data/03.txt': 'd3' },
      env: { MODE: 'e2' },
    };
    const decision = decideUnit({
      forced: false,
      parts: now,
      latest: { runId: 'r1', parts: PARTS },
    });
    assert.equal(decision.action, 'run');
    assert.equal(
      decision.reason,
      'input pillars changed; outputs of translate changed; deps changed: data/02.txt, data/03.txt; command changed; env MODE changed',
    );
  });
});
