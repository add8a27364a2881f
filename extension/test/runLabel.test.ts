import * as assert from 'node:assert/strict';
import { runLabel, runName } from '../src/model/runLabel';
import { ranText } from '../src/model/runTime';
import type { BatonEvent } from '@baton/protocol';
import { ServerMirror } from '../src/model/serverMirror';
import { event, runChange, summary } from './builders';

describe('run labels', () => {
  it('names a run by its pipeline and number, with the inputs that differ from the defaults', () => {
    const run = summary({ pipelineName: 'Literature review', number: 14 });
    assert.equal(runName(run), 'Literature review #14');
    assert.equal(runLabel(run), 'Literature review #14');
    assert.equal(
      runLabel({ ...run, changedInputs: { pillars: 'ALL', depth: 3, tags: ['a', 'b'] } }, 80),
      'Literature review #14 · pillars=ALL, depth=3, tags=a|b',
    );
  });

  it('cuts only the inputs, never the name', () => {
    const run = summary({
      pipelineName: 'Literature review',
      number: 14,
      changedInputs: { topic: 'a very long topic that goes on and on' },
    });
    const label = runLabel(run, 32);
    assert.ok(label.length <= 32, label);
    assert.match(label, /^Literature review #14 · topic=.*…$/);
    assert.equal(runLabel(run, 24), 'Literature review #14');
  });

  it('tells runs without a number apart by the end of their id', () => {
    assert.equal(runName(summary({ runId: '20261204-101500-000-a1b2' })), 'Build ·a1b2');
  });
});

describe('ranText', () => {
  it('counts the time a run ran, not the wait before a resume', () => {
    // Failed after 1 s, sat 9 minutes, resumed and finished 1 s later.
    const run = {
      startedAt: 0,
      resumedAt: 541_000,
      endedAt: 542_000,
      resumes: 1,
      earlierRanMs: 1000,
    };
    assert.equal(ranText(run, 600_000), 'ran 2s in 2 attempts');
    assert.equal(ranText({ startedAt: 0, endedAt: 5000 }, 9000), 'ran 5s');
  });

  it('says nothing while the run is under way or before it started', () => {
    assert.equal(ranText({ startedAt: 0 }, 5000), undefined);
    assert.equal(ranText({}, 5000), undefined);
  });
});

describe('the reducer keeps run time across a resume', () => {
  it('gives the same time live as the core: the wait is not run time, a replay counts once', () => {
    const store = new ServerMirror();
    const at = (seq: number, time: number, body: Parameters<typeof event>[1]): BatonEvent => ({
      ...event(seq, body),
      time,
    });
    const events = [
      at(1, 0, {
        kind: 'runCreated',
        pipeline: 'build',
        file: '/ws/b',
        pipelineName: 'Build',
        number: 7,
        local: true,
      }),
      at(2, 0, { kind: 'runStatusChanged', status: 'running' }),
      at(3, 1000, { kind: 'runStatusChanged', status: 'failed' }),
      at(4, 541_000, { kind: 'runResumed', plan: { steps: [] }, local: true }),
      at(5, 542_000, { kind: 'runStatusChanged', status: 'succeeded' }),
    ];
    store.applyRunChange(runChange(events));
    const run = store.run('r1')?.summary;
    assert.equal(run && runLabel(run), 'Build #7');
    assert.equal(run && ranText(run, 600_000), 'ran 2s in 2 attempts');
    // The same resume seen again (a replay overlapping live traffic) changes nothing.
    const replayed = new ServerMirror();
    for (const e of [...events.slice(0, 4), events[3]!, events[4]!]) replayed.applyFeedEvent(e);
    assert.equal(ranText(replayed.run('r1')!.summary, 600_000), 'ran 2s in 2 attempts');
  });
});
