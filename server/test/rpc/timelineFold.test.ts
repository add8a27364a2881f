import * as assert from 'node:assert/strict';
import type * as Core from '@baton/core';
import { TimelineFold } from '../../src/rpc/service/timeline/timelineFold';

/** Logged events with consecutive sequence numbers, as a run's log holds them. */
function logOf(events: readonly Core.RunEvent[]): Core.LoggedEvent[] {
  return events.map((event, index) => ({ ...event, seq: index + 1 }) as Core.LoggedEvent);
}

function fold(
  events: readonly Core.RunEvent[],
  needs: Record<string, string[]> = {},
): TimelineFold {
  const folded = new TimelineFold((stage) => needs[stage] ?? []);
  for (const event of logOf(events)) folded.apply(event);
  return folded;
}

function phasesOf(folded: TimelineFold, stage: string, index: number): string[] {
  const attempt = folded.rows.get(stage)?.attempts[index];
  return attempt?.phases.map((p) => `${p.kind} ${p.start}-${p.end ?? ''}`) ?? [];
}

const exit = (stage: string, attempt: number, exitCode: number, at: number): Core.RunEvent => ({
  type: 'stageExited',
  stage,
  attempt,
  exitCode,
  random: 0.5,
  at,
});

describe('TimelineFold: a run timeline from logged events', () => {
  it('queues a stage from its need’s end, and a unit of a fanned-out need from its units’ ends', () => {
    const folded = fold(
      [
        { type: 'runStarted', at: 100 },
        { type: 'stageStarted', stage: 'a[1]', attempt: 1, at: 110 },
        { type: 'stageStarted', stage: 'a[2]', attempt: 1, at: 110 },
        exit('a[1]', 1, 0, 200),
        exit('a[2]', 1, 0, 300),
        { type: 'stageStarted', stage: 'b', attempt: 1, at: 350 },
      ],
      { a: ['a[1]', 'a[2]'], b: ['a'] },
    );
    // a never ran itself: it was done when its last unit was.
    assert.deepEqual(phasesOf(folded, 'b', 0), ['queued 300-350', 'running 350-']);
    assert.deepEqual(phasesOf(folded, 'a[1]', 0), ['queued 100-110', 'running 110-200']);
    assert.equal(folded.rows.get('a[1]')?.attempts[0]?.ended, 'succeeded');
  });

  it('draws a pool wait before the attempt, then its queue, and a question open from its prompt to its deadline', () => {
    const folded = fold([
      { type: 'runStarted', at: 5 },
      {
        type: 'slotsWaiting',
        stage: 's',
        attempt: 1,
        reason: 'waiting for pool gpu: held by run r stage t',
        at: 10,
      },
      // Who it waits behind changed: the same wait goes on.
      { type: 'slotsWaiting', stage: 's', attempt: 1, reason: 'waiting for pool gpu', at: 30 },
      { type: 'slotsAcquired', stage: 's', attempt: 1, at: 50 },
      { type: 'stageStarted', stage: 's', attempt: 1, at: 55 },
      {
        type: 'promptOpened',
        promptId: 'go',
        stage: 's',
        attempt: 1,
        message: 'Go?',
        promptType: 'confirm',
        at: 60,
      },
      { type: 'timerFired', timer: { kind: 'promptDeadline', promptId: 's/go' }, at: 90 },
      exit('s', 1, 0, 120),
    ]);
    assert.deepEqual(phasesOf(folded, 's', 0), [
      'queued 5-10',
      'pool 10-50',
      'queued 50-55',
      'running 55-60',
      'input 60-90',
      'running 90-120',
    ]);
  });

  it('shows a retry’s backoff and queue before its next attempt, and the wait while it lasts', () => {
    const events: Core.RunEvent[] = [
      { type: 'runStarted', at: 0 },
      { type: 'stageStarted', stage: 's', attempt: 1, at: 0 },
      exit('s', 1, 3, 100),
    ];
    const waiting = fold(events);
    assert.equal(waiting.rows.get('s')?.attempts[0]?.ended, 'failed');
    assert.deepEqual(
      waiting.waitingPhases('s').map((p) => [p.kind, p.start, p.end]),
      [['backoff', 100, undefined]],
    );
    const retried = fold([
      ...events,
      { type: 'timerFired', timer: { kind: 'retryDue', stage: 's', attempt: 1 }, at: 1100 },
      { type: 'stageStarted', stage: 's', attempt: 2, at: 1150 },
    ]);
    assert.deepEqual(phasesOf(retried, 's', 1), [
      'backoff 100-1100',
      'queued 1100-1150',
      'running 1150-',
    ]);
  });

  it('ends attempts cut by a stop as cancelled, by a lost owner as interrupted; a resume starts a new go', () => {
    const folded = fold([
      { type: 'runStarted', at: 0 },
      { type: 'stageStarted', stage: 'a', attempt: 1, at: 0 },
      { type: 'stageStarted', stage: 'b', attempt: 1, at: 0 },
      { type: 'cancelRequested', at: 50 },
      { type: 'stageExited', stage: 'a', attempt: 1, signal: 'SIGTERM', random: 0, at: 60 },
      { type: 'runInterrupted', at: 70, reason: 'gone' },
      { type: 'runResumed', at: 500, interactive: false },
      { type: 'stageStarted', stage: 'b', attempt: 2, at: 510 },
    ]);
    assert.equal(folded.rows.get('a')?.attempts[0]?.ended, 'cancelled');
    assert.equal(folded.rows.get('b')?.attempts[0]?.ended, 'interrupted');
    assert.deepEqual(phasesOf(folded, 'b', 0), ['running 0-70']);
    assert.deepEqual(phasesOf(folded, 'b', 1), ['queued 500-510', 'running 510-']);
  });

  it('settles an up-to-date stage without attempts, and passes over events it already has', () => {
    const events = logOf([
      { type: 'runStarted', at: 0 },
      {
        type: 'stageChecked',
        stage: 's',
        fingerprint: 'f',
        action: 'skip',
        reason: 'unchanged',
        at: 5,
      },
    ]);
    const folded = new TimelineFold(() => []);
    for (const event of [...events, ...events]) folded.apply(event);
    assert.equal(folded.seq, 2);
    assert.equal(folded.rows.get('s')?.upToDateAt, 5);
    assert.equal(folded.rows.get('s')?.attempts.length, 0);
  });
});
