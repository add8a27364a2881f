import * as assert from 'node:assert/strict';
import type * as Core from '@baton/core';
import { EventFeed } from '../../src/rpc/service/eventFeed';

function runState(
  status: Core.RunStatus,
  stageStatus: Core.StageStatus,
  seq: number,
): Core.RunState {
  return {
    runId: 'r1',
    pipeline: {
      id: 'p',
      file: '/w/p.pipeline.yaml',
      name: 'P',
      inputs: [],
      env: {},
      secretEnv: [],
      stages: [],
    },
    status,
    seq,
    createdAt: 1,
    interactive: true,
    concurrency: 1,
    inputs: {},
    answers: {},
    stages: {
      a: { id: 'a', status: stageStatus, attempt: 1, maxAttempts: 1, outputs: {} },
    },
    prompts: {},
  } as unknown as Core.RunState;
}

describe('EventFeed', () => {
  it('turns run changes into ordered events and notifications with the global seq', () => {
    const sent: { method: string; seq: number }[] = [];
    const feed = new EventFeed(
      (method, params) => sent.push({ method, seq: (params as { seq: number }).seq }),
      () => true,
    );
    feed.observeRun(runState('running', 'running', 1), 10);
    feed.observeRun(runState('succeeded', 'succeeded', 2), 20);
    const { events, lastSeq, hasMore, firstSeq } = feed.getEvents({ afterSeq: 0 });
    assert.deepEqual(
      events.map((e) => [e.seq, e.kind]),
      [
        [1, 'runCreated'],
        [2, 'stageStatusChanged'],
        [3, 'runStatusChanged'],
        [4, 'stageStatusChanged'],
        [5, 'runStatusChanged'],
      ],
    );
    assert.deepEqual([lastSeq, hasMore, firstSeq], [5, false, 1]);
    assert.deepEqual(sent, [
      { method: 'baton/didChangeRun', seq: 3 },
      { method: 'baton/didChangeRun', seq: 5 },
    ]);
    assert.deepEqual(
      feed.getEvents({ afterSeq: 2, limit: 2 }).events.map((e) => e.seq),
      [3, 4],
    );
    assert.equal(feed.getEvents({ afterSeq: 2, limit: 2 }).hasMore, true);
    assert.deepEqual(
      feed.recent('r1', 2).map((e) => e.seq),
      [4, 5],
    );
  });

  it('keeps only the newest events and says where its memory starts', () => {
    const feed = new EventFeed(
      () => undefined,
      () => true,
      10,
    );
    for (let i = 0; i < 20; i++) {
      feed.observeRun(runState('running', i % 2 === 0 ? 'running' : 'waiting', i + 1), i);
    }
    const result = feed.getEvents({ afterSeq: 0, limit: 100 });
    assert.ok(result.events.length <= 12);
    assert.equal(result.firstSeq, result.events[0]?.seq);
    assert.equal(result.events.at(-1)?.seq, result.lastSeq);
    assert.ok(result.firstSeq > 1, 'old events were dropped');
  });
});
