import * as assert from 'node:assert/strict';
import { applyEvent } from '../src/model/runProjection';
import { stageDescription } from '../src/model/stageText';
import { stageRow } from '../src/model/treeRows';
import { stageTooltip } from '../src/model/tooltips';
import type { RunView } from '../src/model/runView';
import { event, stageStatus } from './builders';
import type { StageSnapshot } from '@baton/protocol';

const created = {
  kind: 'runCreated',
  pipeline: 'train',
  pipelineName: 'Train',
  file: '/ws/train.pipeline.yaml',
  local: true,
} as const;

/** A `stageStatusChanged` of `fit` (attempt 1) that says where it runs. */
function statusWhere(status: StageSnapshot['status'], where: string): Parameters<typeof event>[1] {
  return { kind: 'stageStatusChanged', stage: 'fit', attempt: 1, status, maxAttempts: 1, where };
}

/** Applies the events in order, as the client's feed does. */
function project(...events: Parameters<typeof applyEvent>[1][]): RunView {
  let view: RunView | undefined;
  for (const next of events) view = applyEvent(view, next);
  assert.ok(view);
  return view;
}

describe('where a remote stage runs', () => {
  it('shows the queue until a worker takes the stage, then the worker, in the row and its tooltip', () => {
    const queued = project(event(1, created), event(2, statusWhere('running', 'queue gpu')));
    const [waiting] = queued.stages;
    assert.ok(waiting);
    assert.match(stageDescription(waiting, 2000), /^on queue gpu/);

    const claimed = project(
      event(1, created),
      event(2, statusWhere('running', 'queue gpu')),
      event(3, { kind: 'stageWhere', stage: 'fit', attempt: 1, where: 'worker w1 on host a100' }),
    );
    const [running] = claimed.stages;
    assert.ok(running);
    assert.equal(running.where, 'worker w1 on host a100');
    assert.match(stageDescription(running, 2000), /^on worker w1 on host a100/);
    assert.match(stageTooltip(claimed, running, 2000), /Runs on worker w1 on host a100/);

    const ended = project(
      event(1, created),
      event(2, statusWhere('running', 'queue gpu')),
      event(3, { kind: 'stageWhere', stage: 'fit', attempt: 1, where: 'worker w1 on host a100' }),
      event(4, statusWhere('succeeded', 'worker w1 on host a100')),
    );
    const [done] = ended.stages;
    assert.ok(done);
    assert.doesNotMatch(stageDescription(done, 9000), /worker/);
    assert.match(stageTooltip(ended, done, 9000), /Ran on worker w1 on host a100/);
  });

  it('says nothing of where a local stage runs, and clears it when a later event has none', () => {
    const view = project(
      event(1, created),
      event(2, statusWhere('running', 'queue gpu')),
      event(3, stageStatus('fit', 'running', 2)),
    );
    const [local] = view.stages;
    assert.ok(local);
    assert.equal(local.where, undefined);
    assert.doesNotMatch(stageDescription(local, 2000), /on /);
    assert.doesNotMatch(stageTooltip(view, local, 2000), /Runs on|Ran on/);
  });

  it('marks a stage waiting on a queue with no worker, and an unreachable executor, apart from running ones', () => {
    const noWorker = { kind: 'noWorker', queue: 'gpu' } as const;
    const since = new Date(2026, 11, 5, 14, 3, 7).getTime();
    const down = { kind: 'unreachable', executor: 'bullmq at redis://q:6379', since } as const;
    const where = (
      executorCondition?: typeof noWorker | typeof down,
    ): Parameters<typeof event>[1] => ({
      kind: 'stageWhere',
      stage: 'fit',
      attempt: 1,
      where: 'queue gpu',
      ...(executorCondition === undefined ? {} : { executorCondition }),
    });
    const waiting = project(
      event(1, created),
      event(2, statusWhere('running', 'queue gpu')),
      event(3, where(noWorker)),
    );
    assert.match(stageDescription(must(waiting.stages[0]), 2000), /^queued on gpu: no worker/);
    assert.equal(stageRow(waiting, must(waiting.stages[0]), 2000).icon?.id, 'server-process');
    const cut = project(
      event(1, created),
      event(2, statusWhere('running', 'queue gpu')),
      event(3, where(down)),
    );
    assert.match(
      stageDescription(must(cut.stages[0]), 2000),
      /^executor unreachable since 14:03:07/,
    );
    assert.equal(stageRow(cut, must(cut.stages[0]), 2000).icon?.id, 'debug-disconnect');
    const back = project(
      event(1, created),
      event(2, statusWhere('running', 'queue gpu')),
      event(3, where(down)),
      event(4, where()),
    );
    assert.equal(back.stages[0]?.executorCondition, undefined);
    assert.match(stageDescription(must(back.stages[0]), 2000), /^on queue gpu/);
    assert.equal(stageRow(back, must(back.stages[0]), 2000).icon?.id, 'sync~spin');
  });
});

function must<T>(value: T | undefined): T {
  assert.ok(value);
  return value;
}
