import assert from 'node:assert/strict';
import * as Core from '@baton/core';
import * as P from '@baton/protocol';

/** Every status the core knows: the keys of its transition tables. */
const RUN_STATUSES = Object.keys(Core.RUN_TRANSITIONS) as Core.RunStatus[];
const STAGE_STATUSES = Object.keys(Core.STAGE_TRANSITIONS) as Core.StageStatus[];

describe('status meanings: the protocol says what the core says', () => {
  it('knows the same statuses as the core', () => {
    // A status the wire lacks would not compile here; one the core lacks would be missing below.
    const wireRun: readonly P.RunStatus[] = RUN_STATUSES;
    const wireStage: readonly P.StageStatus[] = STAGE_STATUSES;
    assert.equal(wireRun.length, 7);
    assert.equal(wireStage.length, 10);
  });

  for (const status of RUN_STATUSES) {
    it(`run status ${status}`, () => {
      assert.equal(P.isFinalRunStatus(status), Core.isFinalRunStatus(status));
      assert.equal(P.isStoppedRunStatus(status), Core.isStoppedRunStatus(status));
      assert.equal(P.isExecutingRunStatus(status), Core.isExecutingRunStatus(status));
    });
  }

  for (const status of STAGE_STATUSES) {
    it(`stage status ${status}`, () => {
      assert.equal(P.isFinalStageStatus(status), Core.isFinalStageStatus(status));
      assert.equal(P.isLiveStageStatus(status), Core.isLiveStageStatus(status));
    });
  }
});
