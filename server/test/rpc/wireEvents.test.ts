import * as assert from 'node:assert/strict';
import { introductionOf, wireEventsOf } from '../../src/rpc/service/wireEvents';
import type { NewEvent } from '../../src/rpc/service/wireEvents';
import { drive, lastState, newRun } from '../helpers/coreRun';

/** A copy sharing no object with `value` (run states' stage records cannot be structured-cloned). */
function deepCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

const TWO_STAGES = 'name: Demo\nstages:\n  a: { run: "true" }\n  b: { run: "true", needs: [a] }\n';

/** `[kind, stage or status…, time]` of each wire event, for compact comparisons. */
function brief(events: readonly NewEvent[]): unknown[] {
  return events.map((event) => {
    switch (event.kind) {
      case 'stageStatusChanged':
        return [event.kind, event.stage, event.status, event.time];
      case 'runStatusChanged':
        return [event.kind, event.status, event.time];
      case 'promptOpened':
        return [event.kind, event.prompt.promptId, event.time];
      case 'promptClosed':
        return [event.kind, event.promptId, event.by, event.answer, event.time];
      default:
        return [event.kind, event.time];
    }
  });
}

describe('wireEventsOf', () => {
  it('tells every status of every run event, in order, at the run event’s own time', () => {
    const start = newRun(TWO_STAGES);
    const changes = drive(start, [
      { type: 'runStarted', at: 10 },
      { type: 'stageStarted', stage: 'a', attempt: 1, pid: 5, at: 11 },
      { type: 'stageExited', stage: 'a', attempt: 1, exitCode: 0, random: 0, at: 20 },
      { type: 'stageStarted', stage: 'b', attempt: 1, pid: 6, at: 21 },
      { type: 'stageExited', stage: 'b', attempt: 1, exitCode: 0, random: 0, at: 30 },
    ]);
    assert.deepEqual(
      changes.map((change) => brief(wireEventsOf(change, false))),
      [
        [
          ['stageStatusChanged', 'a', 'running', 10],
          ['runStatusChanged', 'running', 10],
        ],
        [],
        [
          ['stageStatusChanged', 'a', 'succeeded', 20],
          ['stageStatusChanged', 'b', 'running', 20],
        ],
        [],
        [
          ['stageStatusChanged', 'b', 'succeeded', 30],
          ['runStatusChanged', 'succeeded', 30],
        ],
      ],
    );
  });

  it('sends runResumed with the plan the resume followed, then the stages it reset', () => {
    const start = newRun(TWO_STAGES);
    const failed = drive(start, [
      { type: 'runStarted', at: 10 },
      { type: 'stageStarted', stage: 'a', attempt: 1, pid: 5, at: 11 },
      { type: 'stageExited', stage: 'a', attempt: 1, exitCode: 3, random: 0, at: 20 },
    ]);
    const [resumed] = drive(lastState(start, failed), [
      { type: 'runResumed', at: 40, interactive: true },
    ]);
    assert.ok(resumed);
    const events = wireEventsOf(resumed, true);
    assert.deepEqual(brief(events).slice(0, 2), [
      ['runResumed', 40],
      ['stageStatusChanged', 'a', 'running', 40],
    ]);
    const first = events[0];
    assert.ok(first?.kind === 'runResumed');
    assert.equal(first.local, true);
    assert.deepEqual(
      first.plan.steps.map((step) => [step.stage, step.action]),
      [
        ['a', 'rerun'],
        ['b', 'run'],
      ],
    );
    assert.ok(!events.some((event) => event.kind === 'runStatusChanged'));
  });

  it('opens and closes prompts, with who answered and the answer the core recorded', () => {
    const start = newRun(TWO_STAGES);
    const changes = drive(start, [
      { type: 'runStarted', at: 10 },
      { type: 'stageStarted', stage: 'a', attempt: 1, pid: 5, at: 11 },
      {
        type: 'promptOpened',
        promptId: 'go',
        stage: 'a',
        attempt: 1,
        message: 'Go?',
        promptType: 'confirm',
        at: 12,
      },
      { type: 'promptAnswered', promptId: 'a/go', value: true, by: 'rpc', at: 13 },
    ]);
    const [opened, answered] = changes.slice(2).map((change) => brief(wireEventsOf(change, true)));
    assert.deepEqual(opened, [
      ['stageStatusChanged', 'a', 'waiting', 12],
      ['runStatusChanged', 'waiting', 12],
      ['promptOpened', 'a/go', 12],
    ]);
    assert.deepEqual(answered, [
      ['stageStatusChanged', 'a', 'running', 13],
      ['runStatusChanged', 'running', 13],
      ['promptClosed', 'a/go', 'rpc', true, 13],
    ]);
  });

  it('gives the same events for copies of the states (masked states are copies)', () => {
    const start = newRun(TWO_STAGES);
    const changes = drive(start, [
      { type: 'runStarted', at: 10 },
      { type: 'stageStarted', stage: 'a', attempt: 1, pid: 5, at: 11 },
      { type: 'stageProgress', stage: 'a', attempt: 1, progress: { percent: 50 }, at: 12 },
    ]);
    for (const change of changes) {
      assert.deepEqual(wireEventsOf(deepCopy(change), false), wireEventsOf(change, false));
    }
    assert.deepEqual(brief(wireEventsOf(deepCopy(changes[2]!), false)), [['stageProgress', 12]]);
  });

  it('introduces a run found on disk from its state, at the times it records', () => {
    const start = newRun(TWO_STAGES);
    const changes = drive(start, [
      { type: 'runStarted', at: 10 },
      { type: 'stageStarted', stage: 'a', attempt: 1, pid: 5, at: 11 },
      { type: 'stageExited', stage: 'a', attempt: 1, exitCode: 0, random: 0, at: 20 },
    ]);
    assert.deepEqual(brief(introductionOf(lastState(start, changes), false)), [
      ['runCreated', 1],
      ['stageStatusChanged', 'a', 'succeeded', 20],
      ['stageStatusChanged', 'b', 'running', 20],
      ['runStatusChanged', 'running', 10],
    ]);
  });
});
