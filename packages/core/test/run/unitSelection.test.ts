import * as assert from 'node:assert/strict';
import { resolveSelection } from '../../src/index';
import { effectsOf, pipelineOf, RunDriver, spawned, stageSpec } from './harness';

const MATRIX = { axes: { os: ['linux', 'mac', 'a/b'] }, include: [], exclude: [] };

function fanned() {
  return pipelineOf([
    stageSpec('prep'),
    stageSpec('m', { matrix: MATRIX, needs: ['prep'] }),
    stageSpec('report', { needs: ['m'] }),
    stageSpec('other'),
  ]);
}

describe('run selection: unit ids', () => {
  it('selects one item of a stage, and what the stage needs', () => {
    const resolved = resolveSelection(fanned(), { stages: ['m[linux]'] });
    assert.deepEqual(resolved.errors, []);
    assert.deepEqual(resolved.selected, ['prep', 'm']);
    assert.deepEqual(resolved.units, ['m[linux]']);
  });

  it('reads an item escaped as in a unit id, or as it is', () => {
    assert.deepEqual(resolveSelection(fanned(), { stages: ['m[a%2Fb]'] }).units, ['m[a%2Fb]']);
    assert.deepEqual(resolveSelection(fanned(), { stages: ['m[a/b]'] }).units, ['m[a%2Fb]']);
  });

  it('names the items there are for an unknown item, and refuses items of a plain stage', () => {
    const [error] = resolveSelection(fanned(), { stages: ['m[windows]'] }).errors;
    assert.equal(error, "no item 'windows' in stage 'm'; its items are m[linux], m[mac], m[a%2Fb]");
    assert.match(
      resolveSelection(fanned(), { force: ['prep[x]'] }).errors[0] ?? '',
      /'prep\[x\]' names an item, but stage 'prep' has no matrix: or foreach:/,
    );
  });

  it('forces one item with --force, and with --from runs its stage and what follows', () => {
    assert.deepEqual(resolveSelection(fanned(), { force: ['m[mac]'] }).forced, ['m[mac]']);
    const from = resolveSelection(fanned(), { from: 'm[mac]' });
    assert.deepEqual(from.selected, ['prep', 'm', 'report']);
    assert.deepEqual(from.forced, ['report', 'm[mac]']);
    assert.equal(from.units, undefined, 'every item of m runs');
  });

  it('runs only the selected item; the others are not selected', () => {
    const run = new RunDriver(fanned(), { selection: { stages: ['m[mac]'] } });
    run.start();
    assert.equal(run.status('other'), 'skipped');
    assert.deepEqual(spawned(run.exit('prep')), ['m[mac]']);
    assert.equal(run.status('m[linux]'), 'skipped');
    assert.equal(run.stage('m[linux]').reason, 'not selected');
    assert.equal(run.stage('m').items?.counts.skipped, 2);
    run.exit('m[mac]');
    assert.equal(run.status('m'), 'succeeded');
    assert.equal(run.state.status, 'succeeded');
  });

  it('fails a foreach stage whose listed items lack the one selected, naming those it has', () => {
    const run = new RunDriver(pipelineOf([stageSpec('p', { foreach: '*.pdf' })]), {
      selection: { stages: ['p[missing.pdf]'] },
    });
    const effects = run.start();
    assert.equal(effectsOf(effects, 'listItems').length, 1);
    run.send({ type: 'itemsListed', stage: 'p', items: ['a.pdf', 'b.pdf'] });
    assert.equal(run.status('p'), 'failed');
    assert.equal(
      run.stage('p').reason,
      "no item 'p[missing.pdf]' among the items of 'p': p[a.pdf], p[b.pdf]",
    );
  });
});
