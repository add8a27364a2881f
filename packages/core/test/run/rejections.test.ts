import * as assert from 'node:assert/strict';
import type { RunEvent, RunState } from '../../src/index';
import { transition } from '../../src/index';
import { pipelineOf, RunDriver, stageSpec } from './harness';

/** A driver for a two-stage run brought to the given status. */
function runIn(status: RunState['status']): RunDriver {
  const run = new RunDriver(
    pipelineOf([stageSpec('a'), stageSpec('b')], {
      inputs: [{ id: 'x', prompt: 'X?', type: 'text', default: 'd' }],
    }),
  );
  if (status === 'queued') return run;
  run.start();
  if (status === 'waiting') return run;
  run.send({ type: 'promptAnswered', promptId: 'inputs.x', value: 'v', by: 'cli' });
  if (status === 'running') return run;
  if (status === 'interrupted') {
    run.send({ type: 'runInterrupted', reason: 'gone' });
  } else if (status === 'cancelled') {
    run.send({ type: 'cancelRequested' });
    run.exit('a');
    run.exit('b');
  } else {
    run.exit('a', status === 'failed' ? 1 : 0);
    run.exit('b');
  }
  assert.equal(run.state.status, status);
  return run;
}

const stageEvents: RunEvent[] = [
  { type: 'stageStarted', stage: 'a', attempt: 1, at: 0 },
  { type: 'stageProgress', stage: 'a', attempt: 1, progress: { percent: 1 }, at: 0 },
  { type: 'stageExited', stage: 'a', attempt: 1, exitCode: 0, random: 0, at: 0 },
  {
    type: 'promptOpened',
    promptId: 'q',
    stage: 'a',
    attempt: 1,
    message: 'Q',
    promptType: 'text',
    at: 0,
  },
  { type: 'timerFired', timer: { kind: 'retryDue', stage: 'a', attempt: 1 }, at: 0 },
];

describe('run: rejections', () => {
  for (const status of ['queued', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const) {
    it(`rejects stage, prompt and timer events while the run is ${status}`, () => {
      const run = runIn(status);
      for (const event of stageEvents) {
        assert.match(run.reject({ ...event, at: run.now }), new RegExp(`the run is ${status}`));
      }
    });
  }

  it('rejects lifecycle events that do not fit the run status', () => {
    assert.match(runIn('running').reject({ type: 'runStarted' }), /already started/);
    assert.match(runIn('succeeded').reject({ type: 'cancelRequested' }), /already finished/);
    assert.match(runIn('failed').reject({ type: 'runInterrupted', reason: 'x' }), /only a running/);
    assert.match(runIn('queued').reject({ type: 'runInterrupted', reason: 'x' }), /only a running/);
    assert.match(runIn('waiting').reject({ type: 'runResumed', interactive: true }), /running/);
  });

  it('accepts each lifecycle event where the machine allows it', () => {
    runIn('queued').send({ type: 'runStarted' });
    runIn('waiting').send({ type: 'runInterrupted', reason: 'x' });
    runIn('failed').send({ type: 'runResumed', interactive: true });
    runIn('cancelled').send({ type: 'runResumed', interactive: true });
    runIn('interrupted').send({ type: 'runResumed', interactive: true });
  });

  it('rejects events with values that would not survive a round trip', () => {
    const run = runIn('running');
    assert.match(run.reject({ type: 'runStarted', at: Number.NaN }), /no valid time/);
    assert.match(
      run.reject({ type: 'stageExited', stage: 'a', attempt: 1, exitCode: 1, random: 2 }),
      /random number in \[0, 1\]/,
    );
    assert.match(
      run.reject({
        type: 'stageProgress',
        stage: 'a',
        attempt: 1,
        progress: { percent: Number.POSITIVE_INFINITY },
      }),
      /must be finite/,
    );
  });

  it('rejects an event of an unknown type instead of throwing', () => {
    const run = runIn('running');
    const odd = { type: 'stageExploded', at: 1 } as unknown as RunEvent;
    const result = transition(run.state, odd);
    assert.match(result.rejected ?? '', /unknown event/);
    assert.equal(result.state, run.state);
  });
});
