/**
 * What holds a remote stage up, shown where people look: a job on a queue no
 * worker listens to ("queued on gpu: no worker"), and Redis unreachable
 * ("executor unreachable since HH:MM:SS"): the run goes on when Redis returns
 * within the limit, and the attempt fails naming the executor when it does not.
 * Real Redis (stopped and started by pid), real workers, a real `baton run`.
 */
import * as assert from 'node:assert/strict';
import { promises as fs, readFileSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { ExecutorCondition } from '@baton/core';
import { Redis } from 'ioredis';
import { LiveView } from '../../src/cli/liveView';
import { KEY_PREFIX } from '../../src/executor/bullmq/remoteJob';
import { remoteExecutorsFor } from '../../src/executor/remoteExecutors';
import { startBaton } from '../helpers/batonProcess';
import { captureTerminal } from '../cli/captureTerminal';
import { waitFor, writePipeline } from '../engine/helpers';
import { useBullmqFixture } from './bullmqFixture';

/** The test workers' lock duration (`startTestWorker`): the outages below last longer. */
const WORKER_LOCK_MS = 1000;

describe('bullmq executor: no worker, and Redis unreachable', function () {
  this.timeout(90_000);
  const fx = useBullmqFixture();

  it('a job nobody listens for shows "queued on gpu: no worker" until a worker takes it', async () => {
    const file = await writePipeline(
      fx.dir,
      'p',
      `
stages:
  fit:
    executor: { type: bullmq, queue: gpu }
    run: echo "fitted on $BATON_WORKER"
`,
    );
    const global = ['--state-dir', path.join(fx.dir, '.baton'), '--redis', fx.redis.url];
    const run = startBaton(fx.dir, [...global, 'run', '-y', file]);
    await waitFor('the no-worker line', () =>
      run.output().includes('[fit] queued on gpu: no worker'),
    );
    const [runId = ''] = await fs.readdir(path.join(fx.dir, '.baton', 'runs'));
    const status = startBaton(fx.dir, [...global, 'status', runId]);
    assert.equal(await status.done, 0, status.output());
    assert.match(status.output(), /fit .* queued on gpu: no worker/);
    await fx.worker('w1', ['gpu']);
    assert.equal(await run.done, 0, run.output());
    assert.match(run.output(), /\[fit\] fitted on w1/);
    const conditions = (await fs.readFile(fx.paths().eventLogFile(runId), 'utf8'))
      .split('\n')
      .filter((line) => line.includes('"stageExecutorCondition"'))
      .map((line) => (JSON.parse(line) as { condition?: ExecutorCondition }).condition);
    // Said once; cleared by the claim (or, when a check saw the worker before it took the job, just before).
    assert.deepEqual(conditions[0], { kind: 'noWorker', queue: 'gpu' });
    assert.ok(
      conditions.slice(1).every((condition) => condition === undefined),
      String(conditions),
    );
    const after = await fx.newEngine().getRunState(runId);
    assert.equal(after.stages.fit?.executorCondition, undefined, 'the claim cleared it');
  });

  it('Redis stopped longer than the workers\' locks: "executor unreachable since", and the run goes on when it returns', async () => {
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
    const terminal = { ...captureTerminal(true), columns: 120 };
    const view = new LiveView(terminal, Date.now);
    engine.on('runChanged', (payload) => view.onRunChanged(payload));
    const handle = await engine.startRun({ file, interactive: false });
    const logFile = fx.paths().stageLogFile(handle.runId, 'steady', 1);
    await waitFor('the first line', async () => (await readText(logFile)).includes('before'));
    await fx.redis.stop();
    const stoppedAt = Date.now();
    const condition = await waitForCondition(engine, handle.runId, 'steady');
    assert.equal(condition.kind, 'unreachable');
    assert.match(
      condition.kind === 'unreachable' ? condition.executor : '',
      /^bullmq at redis:\/\/127\.0\.0\.1:\d+$/,
    );
    view.start();
    view.stop();
    assert.match(terminal.out.join(''), /steady .* executor unreachable since \d\d:\d\d:\d\d/);
    // The outage must outlast the job's lock, so Redis comes back without it (the case under test).
    await waitFor(
      'an outage of three lock durations',
      () => Date.now() - stoppedAt > 3 * WORKER_LOCK_MS,
    );
    await fx.redis.restart();
    // The stage still runs: its worker takes the job's lock back rather than losing the job.
    const lock = `${KEY_PREFIX}:default:${handle.runId}.steady.1:lock`;
    const redis = new Redis(fx.redis.url);
    try {
      await waitFor(
        'the worker holds the lock again',
        async () => (await redis.exists(lock)) === 1,
      );
    } finally {
      redis.disconnect();
    }
    await fs.writeFile(go, '');
    assert.equal(await handle.finished, 'succeeded');
    assert.equal(await readText(logFile), 'before\nafter\n', 'no line lost or doubled');
    const state = await engine.getRunState(handle.runId);
    assert.equal(state.stages.steady?.attempt, 1);
    const told = (await fs.readFile(fx.paths().eventLogFile(handle.runId), 'utf8'))
      .split('\n')
      .filter((line) => line.includes('"stageExecutorCondition"'))
      .map((line) => (JSON.parse(line) as { condition?: ExecutorCondition }).condition?.kind);
    assert.deepEqual(told, ['unreachable', undefined], 'said, then cleared when Redis returned');
  });

  it('a Redis that stops answering without closing (SIGSTOP) shows "executor unreachable" too, and the run goes on', async () => {
    await fx.worker('w1');
    const engine = fx.newEngine();
    const go = path.join(fx.dir, 'go');
    const file = await writePipeline(
      fx.dir,
      'p',
      `
executor: { type: bullmq, queue: default }
stages:
  quiet:
    run: |
      echo before
      while [ ! -e ${go} ]; do sleep 0.05; done
      echo after
`,
    );
    const handle = await engine.startRun({ file, interactive: false });
    const logFile = fx.paths().stageLogFile(handle.runId, 'quiet', 1);
    await waitFor('the first line', async () => (await readText(logFile)).includes('before'));
    // Frozen, not gone: its connections stay open and nothing answers, as behind a silent network.
    process.kill(fx.redis.pid, 'SIGSTOP');
    try {
      const condition = await waitForCondition(engine, handle.runId, 'quiet');
      assert.equal(condition.kind, 'unreachable');
    } finally {
      process.kill(fx.redis.pid, 'SIGCONT');
    }
    await fs.writeFile(go, '');
    assert.equal(await handle.finished, 'succeeded');
    assert.equal(await readText(logFile), 'before\nafter\n');
  });

  it('Redis gone longer than BATON_EXECUTOR_UNREACHABLE_LIMIT_MS: the attempt fails naming the executor and the time; its stage is ended', async () => {
    await fx.worker('w1');
    const executors = await remoteExecutorsFor(fx.redis.url, {
      BATON_EXECUTOR_UNREACHABLE_LIMIT_MS: '1500',
    });
    const engine = fx.engineOn(executors);
    const go = path.join(fx.dir, 'go');
    const pidFile = path.join(fx.dir, 'stage.pid');
    const file = await writePipeline(
      fx.dir,
      'p',
      `
executor: { type: bullmq, queue: default }
stages:
  stuck:
    run: |
      echo $$ > ${pidFile}
      echo before
      while [ ! -e ${go} ]; do sleep 0.05; done
`,
    );
    const handle = await engine.startRun({ file, interactive: false });
    const logFile = fx.paths().stageLogFile(handle.runId, 'stuck', 1);
    await waitFor('the first line', async () => (await readText(logFile)).includes('before'));
    await fx.redis.stop();
    try {
      assert.equal(await handle.finished, 'failed');
      const state = await engine.getRunState(handle.runId);
      assert.match(
        state.stages.stuck?.reason ?? '',
        /executor bullmq at redis:\/\/127\.0\.0\.1:\d+ unreachable since \d\d:\d\d:\d\d \(\d{4}-\d\d-\d\dT[\d:.]+Z\), longer than the limit of 1500 ms/,
      );
      assert.equal(state.stages.stuck?.executorCondition, undefined);
      await fx.redis.restart();
      // The failed attempt's stage does not run on behind Baton's back once Redis is back.
      const pid = Number(await readText(pidFile));
      await waitFor('the stage ended on the worker', () => !isAlive(pid));
    } finally {
      await fs.writeFile(go, '');
      if (!(await canReach(fx.redis.port))) await fx.redis.restart();
    }
  });

  it('refuses a limit that is no whole number of milliseconds', async () => {
    await assert.rejects(
      remoteExecutorsFor(fx.redis.url, { BATON_EXECUTOR_UNREACHABLE_LIMIT_MS: '5m' }),
      /BATON_EXECUTOR_UNREACHABLE_LIMIT_MS must be a whole number of milliseconds .*got "5m"/,
    );
  });
});

async function waitForCondition(
  engine: {
    getRunState(
      runId: string,
    ): Promise<{ stages: Record<string, { executorCondition?: ExecutorCondition } | undefined> }>;
  },
  runId: string,
  stage: string,
): Promise<ExecutorCondition> {
  let found: ExecutorCondition | undefined;
  await waitFor(`a condition on ${stage}`, async () => {
    found = (await engine.getRunState(runId)).stages[stage]?.executorCondition;
    return found !== undefined;
  });
  assert.ok(found);
  return found;
}

function readText(file: string): Promise<string> {
  return fs.readFile(file, 'utf8').catch(() => '');
}

function isAlive(pid: number): boolean {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function canReach(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
