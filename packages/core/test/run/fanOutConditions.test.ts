import * as assert from 'node:assert/strict';
import type { StageSpec } from '../../src/index';
import { pipelineOf, RunDriver, spawned, stageSpec } from './harness';

const OS = { axes: { os: ['linux', 'mac'] }, include: [], exclude: [] };

function matrixStage(needs: string[], condition: string): StageSpec {
  return stageSpec('m', { needs, if: condition, matrix: OS });
}

describe('run: conditions of a stage that fans out are judged per unit', () => {
  it('waits for every need before a status-aware fan-out expands', () => {
    const run = new RunDriver(
      pipelineOf([stageSpec('a'), stageSpec('b'), matrixStage(['a', 'b'], 'always()')]),
    );
    run.start();
    assert.deepEqual(spawned(run.exit('a', 1)), []);
    assert.equal(run.status('m'), 'pending');
    assert.equal(run.state.stages['m[linux]'], undefined, 'no units yet');
    assert.deepEqual(spawned(run.exit('b')), ['m[linux]', 'm[mac]']);
  });

  for (const condition of ["matrix.os == 'mac'", "always() && matrix.os == 'mac'"]) {
    it(`runs only the units whose condition holds (if: ${condition})`, () => {
      const run = new RunDriver(pipelineOf([stageSpec('a'), matrixStage(['a'], condition)]));
      run.start();
      assert.deepEqual(spawned(run.exit('a')), ['m[mac]']);
      assert.equal(run.status('m[linux]'), 'skipped');
    });
  }
});
