import * as assert from 'node:assert/strict';
import type { BatonEvent, DidChangeRunParams } from '@baton/protocol';
import { ServerMirror } from '../src/model/serverMirror';
import { event, prompt, stage, stageStatus, summary } from './builders';

/**
 * What a server sends for one run, live: each `didChangeRun` with the run and
 * stage snapshots as they stood after its events (the core's own times, which
 * may differ from the events' times: a stage's process starts a moment after
 * the core schedules it), and the prompt notifications in between.
 */
const created = {
  kind: 'runCreated',
  pipeline: 'build',
  pipelineName: 'Build',
  file: '/ws/build.pipeline.yaml',
  local: false,
} as const;
const CHANGES: DidChangeRunParams[] = [
  {
    seq: 3,
    events: [
      event(1, created),
      event(2, stageStatus('compile', 'running')),
      event(3, { kind: 'runStatusChanged', status: 'running' }),
    ],
    run: summary({ local: false, startedAt: 1003, stageCounts: { running: 1 } }),
    stages: [stage('compile', { status: 'running', attempt: 1, startedAt: 1004 })],
  },
  {
    seq: 5,
    events: [
      event(4, stageStatus('compile', 'succeeded')),
      event(5, stageStatus('test', 'running')),
    ],
    run: summary({ local: false, stageCounts: { succeeded: 1, running: 1 } }),
    stages: [
      stage('compile', { status: 'succeeded', attempt: 1, startedAt: 1004, endedAt: 1004 }),
      stage('test', { status: 'running', attempt: 1, startedAt: 1006, needs: ['compile'] }),
    ],
  },
];
const PROMPT = prompt({ runId: 'r1', stage: 'test', attempt: 1, openedAt: 1006 });
const OPENED = event(6, { kind: 'promptOpened', prompt: PROMPT });
const CLOSED = event(7, { kind: 'promptClosed', promptId: 'p1', by: 'rpc', answer: true });
const FINISHED: DidChangeRunParams = {
  seq: 9,
  events: [
    event(8, stageStatus('test', 'failed', 1, { exitCode: 2, reason: 'exited with 2' })),
    event(9, { kind: 'runStatusChanged', status: 'failed', reason: 'test failed' }),
  ],
  run: summary({ local: false, status: 'failed', endedAt: 1010, reason: 'test failed' }),
  stages: [stage('test', { status: 'failed', attempt: 1, exitCode: 2, endedAt: 1010 })],
};

describe('one reducer for live notifications and replays', () => {
  it('gives the same model from live notifications as from a replay of getEvents', () => {
    const live = new ServerMirror();
    live.applyRunChange(CHANGES[0]!);
    live.applyRunChange(CHANGES[1]!);
    live.openPrompt({ ...PROMPT, seq: 6 });
    live.closePrompt({ seq: 7, runId: 'r1', promptId: 'p1', by: 'rpc', answer: true });
    live.applyRunChange(FINISHED);

    const replayed = new ServerMirror();
    const feed: BatonEvent[] = [
      ...CHANGES.flatMap((change) => change.events),
      OPENED,
      CLOSED,
      ...FINISHED.events,
    ];
    for (const item of feed) replayed.applyFeedEvent(item);

    assert.deepEqual(live.allRuns(), replayed.allRuns());
    assert.equal(live.lastSeq, replayed.lastSeq);
    const run = replayed.run('r1');
    assert.equal(run?.summary.status, 'failed');
    assert.equal(run?.summary.local, false);
    assert.deepEqual(
      run?.stages.map((s) => [s.id, s.status, s.startedAt, s.endedAt, s.exitCode]),
      [
        ['compile', 'succeeded', 1002, 1004, undefined],
        ['test', 'failed', 1005, 1008, 2],
      ],
    );
  });
});
