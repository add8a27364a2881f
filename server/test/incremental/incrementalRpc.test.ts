import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import type * as P from '@baton/protocol';
import { tempDir } from '../engine/helpers';
import type { StartedServer } from '../rpc/serverHarness';
import { initializeServer, paramsOf, startServer, until } from '../rpc/serverHarness';
import { clearRan, ranStages, writeChain } from './incrementalFixture';

describe('incremental runs over the wire (baton/planRun, baton/startRun selection)', function () {
  this.timeout(40000);
  let dir: string;
  let server: StartedServer;

  beforeEach(async () => {
    dir = await tempDir('incr-rpc');
    await writeChain(dir);
    server = startServer(dir);
    await initializeServer(server, dir);
  });

  afterEach(async () => {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
    await server.exited;
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('plans, runs the selection, and reports up-to-date stages with their reason', async () => {
    const planned = await server.client.sendRequest<P.PlanRunResult>('baton/planRun', {
      pipeline: 'lit',
      stages: ['analyze'],
    });
    assert.deepEqual(
      planned.plan.steps.map((s) => [s.stage, s.action]),
      [
        ['translate', 'run'],
        ['analyze', 'run'],
        ['report', 'unselected'],
      ],
    );
    const first = await server.client.sendRequest<P.StartRunResult>('baton/startRun', {
      pipeline: 'lit',
      stages: ['analyze'],
      interactive: false,
    });
    await waitForStatus(first.runId, 'succeeded');
    assert.deepEqual(ranStages(dir), ['translate', 'analyze']);
    await clearRan(dir);
    const second = await server.client.sendRequest<P.StartRunResult>('baton/startRun', {
      pipeline: 'lit',
      interactive: false,
    });
    const run = await waitForStatus(second.runId, 'succeeded');
    assert.deepEqual(ranStages(dir), ['report']);
    const translate = run.stages.find((s) => s.id === 'translate');
    assert.equal(translate?.upToDate, first.runId);
    assert.equal(translate?.plan, `up to date: unchanged since run ${first.runId}`);
    assert.equal(run.stages.find((s) => s.id === 'report')?.plan, 'never ran');
    await assert.rejects(
      server.client.sendRequest('baton/planRun', { pipeline: 'lit', force: ['no such'] }),
      (error: { code: number }) => error.code === -32602,
    );
  });

  /** Waits for the run's final status as the server announces it: after it let go of the run's locks. */
  async function waitForStatus(runId: string, status: P.RunStatus): Promise<P.RunSnapshot> {
    await until(
      () =>
        paramsOf<P.DidChangeRunParams>(server, 'baton/didChangeRun').some((change) =>
          change.events.some(
            (event) =>
              event.kind === 'runStatusChanged' && event.runId === runId && event.status === status,
          ),
        ),
      20000,
      `run ${runId} to end ${status}`,
    );
    return server.client.sendRequest<P.RunSnapshot>('baton/getRun', { runId });
  }
});
