/**
 * A remote stage in the Runs tree: the real extension and server, a real
 * Redis and a real `baton worker` process. While no worker listens on the
 * stage's queue its row says so ("queued on gpu-it: no worker"); once a
 * worker takes it, the row says which worker on which host runs it.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BatonApi } from './batonHelpers';
import {
  activateBaton,
  EXTENSION_ID,
  runPipeline,
  until,
  waitForPipelines,
  waitForRun,
  workspaceDir,
} from './batonHelpers';
import { hasRedisServer, startRedis, startWorker } from './remoteProcesses';
import type { Started } from './remoteProcesses';

const QUEUE = 'gpu-it';

describe('Baton extension: a stage on a bullmq queue', function () {
  this.timeout(120_000);
  let api: BatonApi;
  let redis: (Started & { readonly url: string }) | undefined;
  const started: Started[] = [];
  let scratch = '';

  before(async function () {
    if (!hasRedisServer()) {
      // In CI a missing redis-server is a failure (the project's install script provides it).
      if (process.env.CI === 'true')
        throw new Error('redis-server is missing: run scripts/install-system-deps.sh');
      this.skip();
    }
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-it-remote-'));
    redis = await startRedis();
    fs.writeFileSync(
      path.join(workspaceDir(), 'remote.pipeline.yaml'),
      `name: Remote
stages:
  fit:
    executor: { type: bullmq, queue: ${QUEUE} }
    run: |
      echo "fitting on $BATON_WORKER"
      while [ ! -e ${path.join(scratch, 'go')} ]; do sleep 0.1; done
`,
    );
    api = await activateBaton();
    // The server takes its Redis from its environment, which it inherits from the extension host when it starts.
    process.env.BATON_REDIS_URL = redis.url;
    await vscode.commands.executeCommand('baton.restartServer');
    await until(() => api.serverState() === 'running', 'the server to run again');
    await waitForPipelines(api, ['remote']);
  });

  after(async () => {
    delete process.env.BATON_REDIS_URL;
    if (scratch !== '') fs.writeFileSync(path.join(scratch, 'go'), '');
    await Promise.all(started.map((child) => child.stop()));
    fs.rmSync(path.join(workspaceDir(), 'remote.pipeline.yaml'), { force: true });
    if (scratch !== '') fs.rmSync(scratch, { recursive: true, force: true });
    // The server leaves Redis first, then Redis stops: the suites after this one get a
    // server that never knew this Redis, not one retrying a Redis that is gone.
    if (redis !== undefined) {
      await vscode.commands.executeCommand('baton.restartServer');
      await until(() => api.serverState() === 'running', 'the server to run again');
      await until(
        () => api.store.pipelines.length > 0 && !api.store.pipelines.some((p) => p.id === 'remote'),
        'the restarted server to list the workspace without the remote pipeline',
      );
    }
    await redis?.stop();
  });

  it('shows "queued on <queue>: no worker" until a worker takes it, then the worker and its host', async () => {
    const { summary } = await runPipeline(api, 'remote');
    const row = (): { description?: string; tooltip?: string; icon: { id: string } } | undefined =>
      api.tree.describe({ kind: 'stage', runId: summary.runId, stageId: 'fit' }, Date.now());
    const waiting = await until(
      () =>
        row()?.description?.includes(`queued on ${QUEUE}: no worker`) === true ? row() : undefined,
      `the stage row to say "queued on ${QUEUE}: no worker" (it says ${JSON.stringify(row()?.description)})`,
    );
    assert.notEqual(waiting?.icon.id, 'loading~spin', 'a stage held up is not drawn as running');

    const extensionPath = vscode.extensions.getExtension(EXTENSION_ID)?.extensionPath ?? '';
    const worker = await startWorker({
      batonBin: path.join(extensionPath, '..', 'server', 'bin', 'baton.js'),
      url: redis?.url ?? '',
      name: 'gpu-1',
      queue: QUEUE,
      workDir: path.join(scratch, 'worker'),
    });
    started.push(worker);
    const where = `on worker gpu-1 on ${os.hostname()}`;
    await until(
      () => row()?.description?.includes(where) === true || undefined,
      `the stage row to say "${where}" (it says ${JSON.stringify(row()?.description)})`,
    );
    assert.doesNotMatch(row()?.description ?? '', /no worker/);
    fs.writeFileSync(path.join(scratch, 'go'), '');
    const run = await waitForRun(api, summary.runId, 'succeeded');
    assert.match(run.stages[0]?.where ?? '', new RegExp(`^worker gpu-1 on ${os.hostname()}$`));
    assert.match(api.logText(summary.runId) ?? '', /fitting on gpu-1/);
  });
});
