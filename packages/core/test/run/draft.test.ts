import * as assert from 'node:assert/strict';
import { createRun } from '../../src/index';
import {
  closeDraft,
  openDraft,
  positionOf,
  setRunStatus,
  specOf,
  stageOf,
  updateStage,
  writable,
} from '../../src/run/draft';
import { pipelineOf, stageSpec } from './harness';

function queuedRun() {
  return createRun({
    runId: 'r',
    pipeline: pipelineOf([stageSpec('a'), stageSpec('b')]),
    at: 0,
    interactive: false,
    defaultConcurrency: 2,
  });
}

describe("run: the reducer's working copy of a run", () => {
  it('refuses a status change the machines do not allow, naming it', () => {
    const draft = openDraft(queuedRun(), 5);
    assert.throws(
      () =>
        updateStage(draft, 'a', (s) => {
          s.status = 'running';
        }),
      { message: "internal error: stage 'a' cannot go from pending to running" },
    );
    assert.throws(() => setRunStatus(draft, 'succeeded'), {
      message: 'internal error: run r cannot go from queued to succeeded',
    });
  });

  it('throws for a stage it does not know, an internal error', () => {
    const draft = openDraft(queuedRun(), 5);
    assert.throws(() => stageOf(draft, 'zz'), { message: "internal error: no stage 'zz'" });
    assert.throws(() => positionOf(draft, 'zz'), { message: "internal error: no stage spec 'zz'" });
    assert.throws(() => specOf(draft, 'zz'), { message: "internal error: no stage spec 'zz'" });
    assert.equal(positionOf(draft, 'b'), 1);
  });

  it('marks the status a run stopped in, and takes a change to the same status as none', () => {
    const draft = openDraft(queuedRun(), 5);
    setRunStatus(draft, 'queued');
    assert.equal(draft.stoppedAs, undefined);
    setRunStatus(draft, 'running');
    assert.equal(draft.stoppedAs, undefined);
    setRunStatus(draft, 'cancelled');
    assert.equal(draft.stoppedAs, 'cancelled');
  });

  it('copies a record on its first change only, leaving the base state as it was', () => {
    const base = queuedRun();
    const draft = openDraft(base, 5);
    const inputs = writable(draft, 'inputs');
    inputs.x = 1;
    assert.equal(writable(draft, 'inputs'), inputs, 'one copy per draft');
    assert.deepEqual(base.inputs, {});
    const closed = closeDraft(draft);
    assert.equal(closed.seq, base.seq + 1);
    assert.deepEqual(closed.inputs, { x: 1 });
    assert.equal(closed.answers, base.answers, 'an unchanged record is shared');
  });
});
