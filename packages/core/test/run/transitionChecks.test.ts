import * as assert from 'node:assert/strict';
import type { RunEvent, StageDiagnosis } from '../../src/index';
import { transition } from '../../src/index';
import { effectsOf, pipelineOf, RunDriver, stageSpec } from './harness';

/** A run whose one stage `a` runs attempt 1. */
function running(): RunDriver {
  const run = new RunDriver(pipelineOf([stageSpec('a')]));
  run.start();
  return run;
}

const diagnosis: StageDiagnosis = {
  idleMs: 1000,
  lastLines: ['quiet'],
  processes: [{ pid: 10, ppid: 1, state: 'S', command: 'sleep 9', cpuSeconds: 0, rssKb: 700 }],
};

/** One event of each type that needs an executing run, for stage `a` attempt 1. */
const ACTIVE_ONLY: readonly RunEvent[] = [
  { type: 'stageStarted', stage: 'a', attempt: 1, at: 0 },
  { type: 'stageProgress', stage: 'a', attempt: 1, progress: { percent: 1 }, at: 0 },
  { type: 'stageClaimed', stage: 'a', attempt: 1, where: 'w', at: 0 },
  { type: 'stageExecutorCondition', stage: 'a', attempt: 1, at: 0 },
  { type: 'stageDiagnosed', stage: 'a', attempt: 1, diagnosis, at: 0 },
  { type: 'stageExited', stage: 'a', attempt: 1, exitCode: 0, random: 0, at: 0 },
  { type: 'stageChecked', stage: 'a', fingerprint: 'f', action: 'run', reason: 'r', at: 0 },
  { type: 'itemsListed', stage: 'a', items: [], at: 0 },
  { type: 'slotsWaiting', stage: 'a', attempt: 1, reason: 'r', at: 0 },
  { type: 'slotsAcquired', stage: 'a', attempt: 1, at: 0 },
  {
    type: 'promptOpened',
    promptId: 'q',
    stage: 'a',
    attempt: 1,
    message: 'Q',
    promptType: 'text',
    at: 0,
  },
  { type: 'promptAnswered', promptId: 'a/q', value: 'v', by: 'cli', at: 0 },
  { type: 'timerFired', timer: { kind: 'retryDue', stage: 'a', attempt: 1 }, at: 0 },
];

describe('run: what transition checks before applying an event', () => {
  it('names the run status when an event needs an executing run, for every such event', () => {
    const queued = new RunDriver(pipelineOf([stageSpec('a')]));
    for (const event of ACTIVE_ONLY) {
      assert.equal(
        queued.reject({ ...event, at: queued.now }),
        `${event.type} does not apply: the run is queued`,
      );
    }
  });

  it('refuses an event that is not an object, saying so', () => {
    const run = running();
    for (const odd of [null, 'runStarted', 3]) {
      const result = transition(run.state, odd as unknown as RunEvent);
      assert.equal(result.rejected, 'an event must be an object');
      assert.equal(result.state, run.state);
    }
  });

  it('refuses an event without a finite time, naming its type', () => {
    const run = running();
    for (const at of [Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.equal(
        run.reject({ type: 'cancelRequested', at }),
        'cancelRequested has no valid time (at)',
      );
    }
  });

  it('takes a random number from 0 to 1 inclusive in stageExited, and refuses any other', () => {
    for (const random of [0, 1]) {
      const run = running();
      run.send({ type: 'stageExited', stage: 'a', attempt: 1, exitCode: 0, random });
      assert.equal(run.status('a'), 'succeeded');
    }
    for (const random of [-0.25, 1.25, Number.NaN]) {
      assert.equal(
        running().reject({ type: 'stageExited', stage: 'a', attempt: 1, exitCode: 0, random }),
        `stageExited needs a random number in [0, 1], got ${random}`,
      );
    }
  });

  it('takes progress with any of its numbers left out, and refuses each number that is not finite', () => {
    const run = running();
    run.send({ type: 'stageProgress', stage: 'a', attempt: 1, progress: { value: 3, total: 4 } });
    run.send({ type: 'stageProgress', stage: 'a', attempt: 1, progress: { percent: 5 } });
    assert.deepEqual(run.stage('a').progress, { percent: 5 });
    for (const field of ['percent', 'value', 'total']) {
      const progress = { [field]: Number.POSITIVE_INFINITY };
      assert.equal(
        run.reject({ type: 'stageProgress', stage: 'a', attempt: 1, progress }),
        `stageProgress numbers must be finite: {"${field}":null}`,
      );
    }
  });

  it('takes a plain diagnosis and refuses one JSON could not keep, field by field', () => {
    const run = running();
    run.send({ type: 'stageDiagnosed', stage: 'a', attempt: 1, diagnosis });
    const process = diagnosis.processes[0];
    const bad: unknown[] = [
      null,
      'quiet',
      { ...diagnosis, idleMs: Number.NaN },
      { ...diagnosis, lastLines: 'quiet' },
      { ...diagnosis, processes: {} },
      ...(['pid', 'ppid', 'cpuSeconds', 'rssKb'] as const).map((field) => ({
        ...diagnosis,
        processes: [process, { ...process, [field]: Number.NaN }],
      })),
    ];
    for (const odd of bad) {
      assert.equal(
        run.reject({
          type: 'stageDiagnosed',
          stage: 'a',
          attempt: 1,
          diagnosis: odd as StageDiagnosis,
        }),
        'stageDiagnosed needs finite numbers and lists of lines and processes',
        JSON.stringify(odd),
      );
    }
  });

  it('reports the end of a run once, with its reason when it has one', () => {
    const ok = running();
    assert.deepEqual(effectsOf(ok.exit('a'), 'runFinished'), [
      { type: 'runFinished', status: 'succeeded' },
    ]);
    const failed = running();
    assert.deepEqual(effectsOf(failed.exit('a', 2), 'runFinished'), [
      { type: 'runFinished', status: 'failed', reason: "stage 'a' failed: exited with code 2" },
    ]);
    // A later event of a finished run is refused, so no second report can follow.
    assert.equal(failed.state.status, 'failed');
  });
});
