import * as assert from 'node:assert/strict';
import { replay } from '../../src/index';
import { inheritedExports } from '../../src/run/exports';
import { effectsOf, pipelineOf, RunDriver, stageSpec } from './harness';

describe('run: variables and PATH directories a stage exports', () => {
  const pipeline = pipelineOf([
    stageSpec('setup'),
    stageSpec('tools'),
    stageSpec('use', { needs: ['setup', 'tools'] }),
    stageSpec('after', { needs: ['use'] }),
  ]);

  it('hands them to the stages that need it, later needs winning a shared name', () => {
    const run = new RunDriver(pipeline);
    run.start();
    run.exit('setup', 0, {
      exported: { env: { MODE: 'fast', ONLY_SETUP: '1' }, path: ['/opt/a/bin'] },
    });
    const effects = run.exit('tools', 0, {
      exported: { env: { MODE: 'slow' }, path: ['/opt/b/bin', '/opt/a/bin'] },
    });
    const [spawn] = effectsOf(effects, 'spawnStage');
    assert.deepEqual(spawn?.inherited, {
      env: { MODE: 'slow', ONLY_SETUP: '1' },
      path: ['/opt/a/bin', '/opt/b/bin'],
    });
    const next = effectsOf(run.exit('use'), 'spawnStage');
    assert.equal(next[0]?.stage, 'after');
    assert.equal(next[0]?.inherited, undefined, 'only direct needs hand over their exports');
  });

  it('keeps them in the event log, so a replay (a resume) hands over the same values', () => {
    const run = new RunDriver(pipeline);
    run.start();
    run.exit('setup', 0, { exported: { env: { MODE: 'fast' }, path: [] } });
    const replayed = replay(run.initial, run.log);
    assert.deepEqual(replayed.stages.setup?.exported, { env: { MODE: 'fast' }, path: [] });
  });

  it("forgets an attempt's exports when the stage runs again", () => {
    const retried = pipelineOf([
      stageSpec('a', {
        retry: { attempts: 2, backoffMs: 10, factor: 1, maxBackoffMs: 10, jitter: 0 },
      }),
    ]);
    const run = new RunDriver(retried);
    run.start();
    run.exit('a', 1, { exported: { env: { X: '1' }, path: [] } });
    assert.deepEqual(run.stage('a').exported?.env, { X: '1' });
    run.advance(10);
    run.send({ type: 'timerFired', timer: { kind: 'retryDue', stage: 'a', attempt: 1 } });
    assert.equal(run.stage('a').attempt, 2);
    assert.equal(run.stage('a').exported, undefined);
  });

  it('hands on nothing when no need exported anything', () => {
    assert.equal(inheritedExports([]), undefined);
    assert.equal(inheritedExports([undefined, { env: {}, path: [] }]), undefined);
  });

  it('hands on a need that exported only variables, or only PATH directories', () => {
    assert.deepEqual(inheritedExports([undefined, { env: { A: '1' }, path: [] }]), {
      env: { A: '1' },
      path: [],
    });
    assert.deepEqual(inheritedExports([{ env: {}, path: ['/x'] }, undefined]), {
      env: {},
      path: ['/x'],
    });
  });

  it('merges the exports of several needs: a later need wins a name, each directory once', () => {
    assert.deepEqual(
      inheritedExports([
        { env: { A: '1', B: '1' }, path: ['/a', '/b'] },
        { env: {}, path: [] },
        { env: { B: '2' }, path: ['/b', '/c', '/a'] },
      ]),
      { env: { A: '1', B: '2' }, path: ['/a', '/b', '/c'] },
    );
  });
});
