import * as assert from 'node:assert/strict';
import { toStageSnapshot } from '../../src/rpc/service/wire';
import { wireEventsOf } from '../../src/rpc/service/wireEvents';
import { drive, lastState, newRun } from '../helpers/coreRun';

const MATRIX = 'name: M\nconcurrency: 1\nstages:\n  m: { run: "true", matrix: { n: [1, 2] } }\n';

describe('fan-out on the wire', () => {
  it("carries the item counts in snapshots and as stageItems events, and names each unit's stage", () => {
    const start = newRun(MATRIX);
    const changes = drive(start, [
      { type: 'runStarted', at: 10 },
      { type: 'stageStarted', stage: 'm[1]', attempt: 1, pid: 5, at: 11 },
      { type: 'stageExited', stage: 'm[1]', attempt: 1, exitCode: 0, random: 0, at: 20 },
    ]);
    const state = lastState(start, changes);
    assert.deepEqual(toStageSnapshot(state, 'm')?.items, {
      total: 2,
      counts: { running: 1, succeeded: 1 },
    });
    assert.equal(toStageSnapshot(state, 'm[2]')?.unitOf, 'm');
    const last = changes.at(-1);
    assert.ok(last);
    const items = wireEventsOf(last, true).filter((e) => e.kind === 'stageItems');
    assert.deepEqual(
      items.map((e) => (e.kind === 'stageItems' ? [e.stage, e.items.counts] : [])),
      [['m', { running: 1, succeeded: 1 }]],
    );
  });
});

describe('a fanned-out stage’s needs on the wire', () => {
  const NEEDS =
    'name: N\nconcurrency: 1\nstages:\n  a: { run: "true" }\n  m: { run: "true", needs: [a], matrix: { n: [1, 2, 3] } }\n';

  it('are the needs it was declared with, before and after it fanned out, never its units', () => {
    const start = newRun(NEEDS);
    assert.deepEqual(toStageSnapshot(start, 'm')?.needs, ['a']);
    const changes = drive(start, [
      { type: 'runStarted', at: 10 },
      { type: 'stageStarted', stage: 'a', attempt: 1, pid: 5, at: 11 },
      { type: 'stageExited', stage: 'a', attempt: 1, exitCode: 0, random: 0, at: 20 },
    ]);
    const state = lastState(start, changes);
    assert.equal(toStageSnapshot(state, 'm')?.items?.total, 3, 'the stage fanned out');
    assert.deepEqual(toStageSnapshot(state, 'm')?.needs, ['a']);
    assert.deepEqual(toStageSnapshot(state, 'm[2]')?.needs, ['a']);
  });
});

describe('the units a fan-out makes, on the wire', () => {
  it('are told by their stage’s counts until one starts, and each from its first change on', () => {
    const start = newRun(MATRIX);
    const changes = drive(start, [
      { type: 'runStarted', at: 10 },
      { type: 'stageStarted', stage: 'm[1]', attempt: 1, pid: 5, at: 11 },
      { type: 'stageExited', stage: 'm[1]', attempt: 1, exitCode: 0, random: 0, at: 20 },
    ]);
    const told = changes.map((change) =>
      wireEventsOf(change, true).flatMap((e) =>
        e.kind === 'stageStatusChanged' || e.kind === 'stageItems'
          ? [`${e.kind} ${e.stage} ${e.kind === 'stageStatusChanged' ? e.status : e.items.total}`]
          : [],
      ),
    );
    // m[2] was made ready with m[1]: it is first told when it starts.
    assert.deepEqual(told[0], ['stageStatusChanged m[1] running', 'stageItems m 2']);
    assert.equal(
      told.flat().find((line) => line.includes('m[2]')),
      'stageStatusChanged m[2] running',
    );
    assert.ok(told.flat().includes('stageStatusChanged m[1] succeeded'), JSON.stringify(told));
  });
});
