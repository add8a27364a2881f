import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import {
  controlStreamKey,
  KEY_PREFIX,
  outputStreamKey,
  takenMarkerKey,
} from '../../src/executor/bullmq/remoteJob';
import { CRASH_AT_VARIABLE } from '../../src/process/crashPoint';
import { startBaton } from '../helpers/batonProcess';
import { waitFor, writePipeline } from '../engine/helpers';
import { useBullmqFixture } from './bullmqFixture';

const BATON = path.resolve(__dirname, '..', '..', '..', 'bin', 'baton.js');

describe('bullmq executor: durability across an orchestrator killed with kill -9', function () {
  this.timeout(90_000);
  const fx = useBullmqFixture();

  it('keeps the remote stage running; resume re-attaches: it ran once, no line lost or doubled', async () => {
    await fx.worker('w1');
    const { dir } = fx;
    const ran = path.join(dir, 'ran.txt');
    const go = path.join(dir, 'go');
    const file = await writePipeline(
      dir,
      'p',
      `
executor: { type: bullmq, queue: default }
stages:
  remote:
    watch: [notes.log]
    run: |
      echo once >> ${ran}
      for i in 1 2 3; do echo "line $i"; done
      echo "note a" >> notes.log
      while [ ! -e ${go} ]; do sleep 0.05; done
      echo "note b" >> notes.log
      sleep 0.3
      for i in 4 5 6; do echo "line $i"; done
      echo "result=done" >> "$BATON_OUTPUT"
`,
    );
    // The orchestrator is a real `baton run`, killed with SIGKILL while the stage waits.
    const orchestrator = spawn(
      process.execPath,
      [BATON, '--state-dir', path.join(dir, '.baton'), '--redis', fx.redis.url, 'run', '-y', file],
      { stdio: 'ignore' },
    );
    const runsDir = path.join(dir, '.baton', 'runs');
    let runId = '';
    await waitFor('the first three lines in the log', async () => {
      const ids = await fs.readdir(runsDir).catch(() => [] as string[]);
      runId = ids[0] ?? '';
      if (runId === '') return false;
      const log = await fs
        .readFile(fx.paths().stageLogFile(runId, 'remote', 1), 'utf8')
        .catch(() => '');
      return log.includes('[notes.log] note a');
    });
    const gone = new Promise((resolve) => orchestrator.once('exit', resolve));
    orchestrator.kill('SIGKILL');
    await gone;
    await fs.writeFile(go, '');
    const engine = fx.newEngine();
    const resumed = await engine.resumeRun(runId, {
      interactive: false,
      beforeResume: (plan) =>
        assert.deepEqual(
          plan.stages.map((step) => step.action),
          ['attach'],
        ),
    });
    const status = await resumed.finished;
    const after = await engine.getRunState(runId);
    assert.equal(status, 'succeeded', JSON.stringify(after.stages.remote));
    assert.equal(await fs.readFile(ran, 'utf8'), 'once\n', 'the stage ran once');
    const log = await fs.readFile(fx.paths().stageLogFile(runId, 'remote', 1), 'utf8');
    // The watched file's lines (tailed on the worker) are skipped and followed as output is.
    assert.equal(
      log,
      'line 1\nline 2\nline 3\n[notes.log] note a\n[notes.log] note b\nline 4\nline 5\nline 6\n',
    );
    const state = await engine.getRunState(runId);
    assert.equal(state.stages.remote?.outputs.result, 'done');
    assert.equal(state.stages.remote?.attempt, 1);
  });

  it('a crash after the handle is logged and before the job is added: resume adds it once, same attempt', async () => {
    await fx.worker('w1');
    const { dir } = fx;
    const ran = path.join(dir, 'ran.txt');
    const file = await writePipeline(
      dir,
      'p',
      `
executor: { type: bullmq, queue: default }
stages:
  remote:
    run: |
      echo once >> ${ran}
      echo "hello from $BATON_WORKER, attempt $BATON_ATTEMPT"
`,
    );
    const global = ['--state-dir', path.join(dir, '.baton'), '--redis', fx.redis.url];
    // A real `baton run` that kills itself (SIGKILL) between the handle's write and the add.
    const crashed = spawn(process.execPath, [BATON, ...global, 'run', '-y', file], {
      stdio: 'ignore',
      env: { ...process.env, [CRASH_AT_VARIABLE]: 'before-job-add' },
    });
    const signal = await new Promise((resolve) =>
      crashed.once('exit', (_code, sig) => resolve(sig)),
    );
    assert.equal(signal, 'SIGKILL');
    const [runId = ''] = await fs.readdir(path.join(dir, '.baton', 'runs'));
    const events = await readEvents(fx.paths().eventLogFile(runId));
    const started = events.filter((event) => event.type === 'stageStarted');
    assert.equal(started.length, 1, 'the handle is in the event log');
    const jobId = `${runId}.remote.1`;
    assert.equal(started[0]?.handle?.id, `default/${jobId}`);
    const queue = new Queue('default', { connection: { url: fx.redis.url }, prefix: KEY_PREFIX });
    try {
      assert.equal(await queue.getJob(jobId), undefined, 'the crash came before the add');
      const resumed = startBaton(dir, [...global, 'resume', runId, '--yes']);
      assert.equal(await resumed.done, 0, resumed.output());
      assert.match(resumed.output(), /attach/);
      assert.equal(await fs.readFile(ran, 'utf8'), 'once\n', 'the stage ran exactly once');
      const log = await fs.readFile(fx.paths().stageLogFile(runId, 'remote', 1), 'utf8');
      assert.equal(log, 'hello from w1, attempt 1\n');
      const after = await readEvents(fx.paths().eventLogFile(runId));
      assert.equal(after.filter((event) => event.type === 'stageStarted').length, 1);
      const exited = after.filter((event) => event.type === 'stageExited');
      assert.deepEqual(
        exited.map((event) => [event.attempt, event.exitCode]),
        [[1, 0]],
      );
      assert.equal(await queue.getJobCountByTypes('waiting', 'active', 'failed'), 0);
    } finally {
      await queue.close();
    }
  });

  it('a job a worker ran whose job and streams are gone since: resume finds it lost and never runs it again', async () => {
    await fx.worker('w1');
    const { dir } = fx;
    const ran = path.join(dir, 'ran.txt');
    const go = path.join(dir, 'go');
    // No output: the stage's empty log tells nothing about whether it ran.
    const file = await writePipeline(
      dir,
      'p',
      `
executor: { type: bullmq, queue: default }
stages:
  remote:
    run: |
      echo once >> ${ran}
      while [ ! -e ${go} ]; do sleep 0.05; done
`,
    );
    const orchestrator = spawn(
      process.execPath,
      [BATON, '--state-dir', path.join(dir, '.baton'), '--redis', fx.redis.url, 'run', '-y', file],
      { stdio: 'ignore' },
    );
    await waitFor('the stage to run', async () => (await fs.stat(ran).catch(() => null)) !== null);
    const gone = new Promise((resolve) => orchestrator.once('exit', resolve));
    orchestrator.kill('SIGKILL');
    await gone;
    const [runId = ''] = await fs.readdir(path.join(dir, '.baton', 'runs'));
    const jobId = `${runId}.remote.1`;
    await fs.writeFile(go, '');
    const queue = new Queue('default', { connection: { url: fx.redis.url }, prefix: KEY_PREFIX });
    const redis = new Redis(fx.redis.url);
    try {
      await waitFor(
        'the job to complete',
        async () => (await queue.getJobState(jobId)) === 'completed',
      );
      // What a resume long after would find: the job and its streams removed, as their keeping time does.
      await queue.remove(jobId);
      await redis.del(outputStreamKey('default', jobId), controlStreamKey('default', jobId));
      assert.equal(
        await redis.exists(takenMarkerKey('default', jobId)),
        1,
        'the worker marked it taken',
      );
      const engine = fx.newEngine();
      const resumed = await engine.resumeRun(runId, { interactive: false });
      assert.equal(await resumed.finished, 'failed');
      const state = await engine.getRunState(runId);
      assert.match(state.stages.remote?.reason ?? '', /gone from Redis, so the attempt is lost/);
      assert.equal(await fs.readFile(ran, 'utf8'), 'once\n', 'the stage ran once');
      // Its end is recorded now: the marker is let go.
      await waitFor(
        'the marker to go',
        async () => (await redis.exists(takenMarkerKey('default', jobId))) === 0,
      );
    } finally {
      redis.disconnect();
      await queue.close();
    }
  });
});

interface LoggedLine {
  readonly type: string;
  readonly attempt?: number;
  readonly exitCode?: number;
  readonly handle?: { readonly id: string };
}

async function readEvents(file: string): Promise<LoggedLine[]> {
  const text = await fs.readFile(file, 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as LoggedLine);
}
