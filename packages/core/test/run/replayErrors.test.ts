import * as assert from 'node:assert/strict';
import type { LoggedEvent } from '../../src/index';
import { replay, ReplayError } from '../../src/index';
import { pipelineOf, RunDriver, stageSpec } from './harness';

/** A finished two-stage run and its log of three events. */
function finishedRun(): RunDriver {
  const run = new RunDriver(pipelineOf([stageSpec('a'), stageSpec('b', { needs: ['a'] })]));
  run.start();
  run.exit('a');
  run.exit('b');
  return run;
}

describe('run: replay refuses a log that does not belong to its state', () => {
  it('names the event the core rejects, its type and the core’s reason', () => {
    const run = finishedRun();
    const log: LoggedEvent[] = run.log.slice();
    // The second event, made to end an attempt that never ran.
    log[1] = { ...(log[1] as LoggedEvent), attempt: 7 } as LoggedEvent;
    let caught: unknown;
    try {
      replay(run.initial, log);
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof ReplayError);
    assert.equal(caught.name, 'ReplayError');
    assert.equal(caught.seq, 2);
    assert.match(caught.message, /^event 2: stageExited was rejected on replay: \S/);
  });

  it('names the first event past a gap and the one it expected', () => {
    const run = finishedRun();
    const log = [run.log[0] as LoggedEvent, run.log[2] as LoggedEvent];
    assert.throws(
      () => replay(run.initial, log),
      (error: unknown) =>
        error instanceof ReplayError &&
        error.seq === 3 &&
        error.message === 'event 3: expected event 2 next; the log has a gap',
    );
  });

  it('passes over events the start already holds, up to and including its own seq', () => {
    const run = finishedRun();
    const afterFirst = replay(run.initial, run.log.slice(0, 1));
    assert.equal(afterFirst.seq, 1);
    // Event 1 is in `afterFirst` already: replaying it again would be a second runStarted.
    assert.deepEqual(replay(afterFirst, run.log), run.state);
    assert.equal(replay(run.state, run.log), run.state);
  });
});
