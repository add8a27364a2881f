import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Queue } from 'bullmq';
import { createBullmqExecutor } from '../../src/executor/bullmq/bullmqExecutor';
import { KEY_PREFIX } from '../../src/executor/bullmq/remoteJob';
import { waitFor, writePipeline } from '../engine/helpers';
import { useBullmqFixture } from './bullmqFixture';

describe('bullmq executor: a job added twice, and Redis restarting mid-run', function () {
  this.timeout(60_000);
  const fx = useBullmqFixture();

  it('launching the same attempt twice makes one job, run once', async () => {
    const executor = createBullmqExecutor({ url: fx.redis.url });
    const queue = new Queue('twice', { connection: { url: fx.redis.url }, prefix: KEY_PREFIX });
    try {
      const ran = path.join(fx.dir, 'ran');
      const files = {
        outputFile: path.join(fx.dir, 'out'),
        envFile: path.join(fx.dir, 'env'),
        pathFile: path.join(fx.dir, 'path'),
        summaryFile: path.join(fx.dir, 'summary'),
        savedStateFile: path.join(fx.dir, 'saved'),
        stateDir: path.join(fx.dir, 'state'),
        logFile: path.join(fx.dir, 'log'),
      };
      const launch = {
        runId: '20261204-000000-000-abcd',
        stage: 'once',
        attempt: 1,
        queue: 'twice',
        command: `echo ran >> ${ran}`,
        cwd: fx.dir,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
        files,
        gated: true,
      };
      const first = executor.launch(launch);
      const second = executor.launch(launch);
      assert.deepEqual(first.handle, second.handle, 'the same handle, known before the add');
      first.start();
      second.start();
      await waitFor('both adds', async () => (await queue.getJobCounts('waiting')).waiting === 1);
      await fx.worker('w1', ['twice']);
      assert.deepEqual(await first.exited, { exitCode: 0 });
      assert.deepEqual(await second.exited, { exitCode: 0 });
      assert.equal(await fs.readFile(ran, 'utf8'), 'ran\n');
    } finally {
      await queue.close();
      await executor.close();
    }
  });

  it('a stage keeps running while Redis restarts, and its run succeeds with every line', async () => {
    await fx.worker('w1');
    const engine = fx.newEngine();
    const go = path.join(fx.dir, 'go');
    const file = await writePipeline(
      fx.dir,
      'p',
      `
executor: { type: bullmq, queue: default }
stages:
  steady:
    run: |
      echo before
      while [ ! -e ${go} ]; do sleep 0.05; done
      echo after
`,
    );
    const handle = await engine.startRun({ file, interactive: false });
    const log = fx.paths();
    await waitFor('the first line', async () =>
      (
        await fs.readFile(log.stageLogFile(handle.runId, 'steady', 1), 'utf8').catch(() => '')
      ).includes('before'),
    );
    await fx.redis.restart();
    await fs.writeFile(go, '');
    assert.equal(await handle.finished, 'succeeded');
    assert.equal(
      await fs.readFile(log.stageLogFile(handle.runId, 'steady', 1), 'utf8'),
      'before\nafter\n',
    );
  });
});
