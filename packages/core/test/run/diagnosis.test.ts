import * as assert from 'node:assert/strict';
import { replay } from '../../src/index';
import type { StageDiagnosis } from '../../src/index';
import { pipelineOf, RunDriver, stageSpec } from './harness';

const diagnosis: StageDiagnosis = {
  idleMs: 60_000,
  lastLines: ['waiting for the lock', 'still waiting'],
  processes: [
    { pid: 10, ppid: 1, state: 'S', command: 'sh -c sleep 60', cpuSeconds: 0.01, rssKb: 900 },
    { pid: 11, ppid: 10, state: 'S', command: 'sleep 60', cpuSeconds: 0, rssKb: 700 },
  ],
  openPrompt: 'a/go',
};

describe('run: stageDiagnosed', () => {
  it('keeps the diagnosis on the stage without changing any status, and replays to the same state', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a', { idleTimeoutMs: 1000 })]));
    run.start();
    run.send({ type: 'stageStarted', stage: 'a', attempt: 1, pid: 10 });
    const before = run.state;
    const effects = run.send({ type: 'stageDiagnosed', stage: 'a', attempt: 1, diagnosis });
    assert.deepEqual(
      effects.filter((e) => e.type !== 'persist'),
      [],
    );
    assert.deepEqual(run.state.stages['a']?.lastDiagnosis, diagnosis);
    assert.equal(run.status('a'), before.stages['a']?.status);
    assert.equal(run.state.status, before.status);
    assert.equal(run.state.stages['a']?.lastActivityAt, before.stages['a']?.lastActivityAt);
    assert.deepEqual(replay(run.initial, run.log), run.state);
    assert.deepEqual(JSON.parse(JSON.stringify(run.state)), run.state);
  });

  it('is refused for an attempt that is not running, and for numbers JSON cannot keep', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a')]));
    run.start();
    assert.match(
      run.reject({ type: 'stageDiagnosed', stage: 'a', attempt: 2, diagnosis }),
      /not attempt 2/,
    );
    const bad = { ...diagnosis, idleMs: Number.NaN };
    assert.match(
      run.reject({ type: 'stageDiagnosed', stage: 'a', attempt: 1, diagnosis: bad }),
      /finite/,
    );
    run.exit('a');
    assert.match(
      run.reject({ type: 'stageDiagnosed', stage: 'a', attempt: 1, diagnosis }),
      /does not apply|not running/,
    );
  });

  it('forgets the diagnosis when the next attempt starts', () => {
    const retry = { attempts: 2, backoffMs: 0, factor: 1, maxBackoffMs: 0, jitter: 0 };
    const run = new RunDriver(pipelineOf([stageSpec('a', { retry })]));
    run.start();
    run.send({ type: 'stageDiagnosed', stage: 'a', attempt: 1, diagnosis });
    run.exit('a', 1);
    if (run.status('a') === 'retrying') {
      run.send({ type: 'timerFired', timer: { kind: 'retryDue', stage: 'a', attempt: 1 } });
    }
    assert.equal(run.state.stages['a']?.attempt, 2);
    assert.equal(run.state.stages['a']?.lastDiagnosis, undefined);
  });
});
