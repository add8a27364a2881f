import * as assert from 'node:assert/strict';
import { wireEventsOf } from '../../src/rpc/service/wireEvents';
import { drive, newRun } from '../helpers/coreRun';

const REMOTE = 'name: R\nstages:\n  fit: { run: "true", executor: { type: bullmq, queue: gpu } }\n';
const HANDLE = { executor: 'bullmq', id: 'gpu/r.fit.1', where: 'queue gpu', detached: true };

describe('where a stage runs, on the wire', () => {
  it('tells clients the queue when the stage starts and the worker when one claims it', () => {
    const changes = drive(newRun(REMOTE), [
      { type: 'runStarted', at: 10 },
      { type: 'stageStarted', stage: 'fit', attempt: 1, handle: HANDLE, at: 11 },
      { type: 'stageClaimed', stage: 'fit', attempt: 1, where: 'worker w1 on host a100', at: 12 },
      { type: 'stageExited', stage: 'fit', attempt: 1, exitCode: 0, random: 0, at: 20 },
    ]);
    const events = changes.flatMap((change) => wireEventsOf(change, true));
    const wheres = events.filter((e) => e.kind === 'stageWhere');
    assert.deepEqual(
      wheres.map((e) => (e.kind === 'stageWhere' ? [e.stage, e.attempt, e.where, e.time] : [])),
      [
        ['fit', 1, 'queue gpu', 11],
        ['fit', 1, 'worker w1 on host a100', 12],
      ],
    );
    const ended = events.find((e) => e.kind === 'stageStatusChanged' && e.status === 'succeeded');
    assert.equal(ended?.kind === 'stageStatusChanged' && ended.where, 'worker w1 on host a100');
  });

  it('says nothing of where a local stage runs', () => {
    const changes = drive(newRun('name: L\nstages:\n  a: { run: "true" }\n'), [
      { type: 'runStarted', at: 10 },
      { type: 'stageStarted', stage: 'a', attempt: 1, pid: 5, at: 11 },
    ]);
    const events = changes.flatMap((change) => wireEventsOf(change, true));
    assert.ok(events.some((e) => e.kind === 'stageStatusChanged'));
    assert.ok(events.every((e) => e.kind !== 'stageWhere' && !('where' in e)));
  });

  it('tells clients what holds a remote stage up (no worker, Redis unreachable) and when it passes', () => {
    const noWorker = { kind: 'noWorker', queue: 'gpu' } as const;
    const down = { kind: 'unreachable', executor: 'bullmq at redis://q:6379', since: 14 } as const;
    const changes = drive(newRun(REMOTE), [
      { type: 'runStarted', at: 10 },
      { type: 'stageStarted', stage: 'fit', attempt: 1, handle: HANDLE, at: 11 },
      { type: 'stageExecutorCondition', stage: 'fit', attempt: 1, condition: noWorker, at: 12 },
      { type: 'stageClaimed', stage: 'fit', attempt: 1, where: 'worker w1 on host a100', at: 13 },
      { type: 'stageExecutorCondition', stage: 'fit', attempt: 1, condition: down, at: 14 },
      { type: 'stageExecutorCondition', stage: 'fit', attempt: 1, at: 15 },
    ]);
    const events = changes.flatMap((change) => wireEventsOf(change, true));
    assert.deepEqual(
      events.flatMap((e) =>
        e.kind === 'stageWhere' ? [[e.time, e.where, e.executorCondition ?? null]] : [],
      ),
      [
        [11, 'queue gpu', null],
        [12, 'queue gpu', noWorker],
        [13, 'worker w1 on host a100', null],
        [14, 'worker w1 on host a100', down],
        [15, 'worker w1 on host a100', null],
      ],
    );
    const last = changes.at(-1)?.after.stages.fit;
    assert.equal(last?.executorCondition, undefined);
  });
});
