import * as assert from 'node:assert/strict';
import type * as P from '@baton/protocol';
import { median } from '../../src/rpc/service/expectedDurations';
import { paramsOf, until } from './serverHarness';
import { useWorkspaceServer } from './workspaceServer';

const PIPELINE = `name: Timed
stages:
  nap:
    run: sleep 0.3
  quick:
    needs: [nap]
    run: "true"
`;

describe('expectedMs: how long a stage usually takes, from past runs', function () {
  this.timeout(60000);
  const fx = useWorkspaceServer('expected-ms', 'timed', PIPELINE);

  async function runToEnd(): Promise<string> {
    const { runId } = await fx.server.client.sendRequest<P.StartRunResult>('baton/startRun', {
      pipeline: 'timed',
      interactive: false,
    });
    await until(
      () =>
        paramsOf<P.DidChangeRunParams>(fx.server, 'baton/didChangeRun').some((change) =>
          change.events.some(
            (event) =>
              event.kind === 'runStatusChanged' &&
              event.runId === runId &&
              event.status === 'succeeded',
          ),
        ),
      20000,
      `run ${runId} to succeed`,
    );
    return runId;
  }

  it('is unknown before any run, then the median of past successes, also after a restart', async () => {
    const first = await runToEnd();
    const firstSnapshot = await fx.server.client.sendRequest<P.RunSnapshot>('baton/getRun', {
      runId: first,
    });
    const nap = firstSnapshot.stages.find((s) => s.id === 'nap');
    const took = (nap?.endedAt ?? 0) - (nap?.startedAt ?? 0);
    assert.ok(took >= 300, `nap took ${took} ms`);
    const runningNap = (runId: string): P.StageSnapshot | undefined =>
      paramsOf<P.DidChangeRunParams>(fx.server, 'baton/didChangeRun')
        .filter((change) => change.run.runId === runId)
        .flatMap((change) => change.stages)
        .find((stage) => stage.id === 'nap' && stage.status === 'running');
    assert.ok(runningNap(first), 'the first run reported nap running');
    assert.equal(runningNap(first)?.expectedMs, undefined, 'no history yet');
    const second = await runToEnd();
    // The second run's live stage snapshots carry what the first run took.
    assert.equal(runningNap(second)?.expectedMs, took);
    // A new server reads the history from disk.
    await fx.restart();
    const snapshot = await fx.server.client.sendRequest<P.RunSnapshot>('baton/getRun', {
      runId: second,
    });
    const expected = snapshot.stages.find((s) => s.id === 'nap')?.expectedMs;
    assert.ok(expected !== undefined && expected >= 300, `expectedMs ${expected}`);
  });

  it('takes the median', () => {
    assert.equal(median([5]), 5);
    assert.equal(median([9, 1, 5]), 5);
    assert.equal(median([4, 1, 3, 2]), 3);
  });
});
