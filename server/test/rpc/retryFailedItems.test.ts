import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type * as P from '@baton/protocol';
import { paramsOf, until } from './serverHarness';
import { useWorkspaceServer } from './workspaceServer';

// Item 2 fails until the file `fixed` exists; the others always succeed.
const PIPELINE = `name: Fan
stages:
  each:
    matrix: { n: [1, 2, 3] }
    fail_fast: false
    run: test "$BATON_MATRIX_N" != 2 || test -f fixed
  after:
    needs: [each]
    run: "true"
`;

describe('baton/retryStage with failedItems: Retry Failed Items of a fanned-out stage', function () {
  this.timeout(60000);
  const fx = useWorkspaceServer('retry-items', 'fan', PIPELINE);

  const events = (runId: string): P.BatonEvent[] =>
    paramsOf<P.DidChangeRunParams>(fx.server, 'baton/didChangeRun')
      .flatMap((change) => change.events)
      .filter((event) => event.runId === runId);

  async function ended(runId: string, status: P.RunStatus, count: number): Promise<void> {
    await until(
      () =>
        events(runId).filter((e) => e.kind === 'runStatusChanged' && e.status === status).length >=
        count,
      20000,
      `run ${runId} to be ${status}`,
    );
  }

  it('runs only the failed item again, and the stage and its dependants after it', async () => {
    const { runId } = await fx.server.client.sendRequest<P.StartRunResult>('baton/startRun', {
      pipeline: 'fan',
      interactive: false,
    });
    await ended(runId, 'failed', 1);
    const units = events(runId).flatMap((e) =>
      e.kind === 'stageStatusChanged' && e.unitOf !== undefined ? [[e.stage, e.unitOf]] : [],
    );
    assert.deepEqual(
      [...new Set(units.map(([stage, of]) => `${stage} of ${of}`))].sort(),
      ['each[1] of each', 'each[2] of each', 'each[3] of each'],
      'every unit event names its fanned-out stage',
    );
    const failedEach = events(runId).find(
      (e) => e.kind === 'stageStatusChanged' && e.stage === 'each' && e.status === 'failed',
    );
    assert.ok(failedEach?.kind === 'stageStatusChanged');
    assert.deepEqual(failedEach.items?.counts, { succeeded: 2, failed: 1 });
    // The unit's own log is served under its unit id.
    const log = await fx.server.client.sendRequest<P.GetLogResult>('baton/getLog', {
      runId,
      stage: 'each[2]',
    });
    assert.equal(typeof log.text, 'string');

    const before = events(runId).length;
    await fs.writeFile(path.join(fx.dir, 'fixed'), '');
    const retry = await fx.server.client.sendRequest<P.RetryStageResult>('baton/retryStage', {
      runId,
      stage: 'each',
      failedItems: true,
    });
    const actions = Object.fromEntries(retry.plan.steps.map((s) => [s.stage, s.action]));
    assert.equal(actions['each[1]'], 'skip');
    assert.equal(actions['each[2]'], 'rerun');
    assert.equal(actions['each[3]'], 'skip');
    await ended(runId, 'succeeded', 1);
    const started = events(runId)
      .slice(before)
      .flatMap((e) => (e.kind === 'stageStatusChanged' && e.status === 'running' ? [e.stage] : []));
    assert.deepEqual(started, ['each[2]', 'after'], 'only the failed item and what follows ran');
  });

  it('refuses a stage that does not fan out, and a fanned-out stage with no failed items', async () => {
    await fs.writeFile(path.join(fx.dir, 'fixed'), '');
    const { runId } = await fx.server.client.sendRequest<P.StartRunResult>('baton/startRun', {
      pipeline: 'fan',
      interactive: false,
    });
    await ended(runId, 'succeeded', 1);
    await assert.rejects(
      fx.server.client.sendRequest('baton/retryStage', {
        runId,
        stage: 'after',
        failedItems: true,
      }),
      /has no items/,
    );
    await assert.rejects(
      fx.server.client.sendRequest('baton/retryStage', { runId, stage: 'each', failedItems: true }),
      /no failed items/,
    );
  });
});
