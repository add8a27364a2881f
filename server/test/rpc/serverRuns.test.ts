import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as P from '@baton/protocol';
import { ProgressType } from 'vscode-jsonrpc/node';
import { within } from './processHarness';
import {
  initializeServer,
  paramsOf,
  startServer,
  until,
  type StartedServer,
} from './serverHarness';

const SLOW = `name: Slow
stages:
  first:
    run: echo first
  wait:
    needs: [first]
    run: echo waiting; sleep 30
`;

const SECRET = `name: Secret
stages:
  leak:
    run: |
      echo "::add-mask::hunter2-xyz"
      echo "the password is hunter2-xyz"
      echo "token=hunter2-xyz" >> "$BATON_OUTPUT"
      echo "::warning::hunter2-xyz in a warning"
`;

const TICK = `name: Tick
schedule:
  cron: '* * * * * *'
stages:
  tick:
    run: echo tick
`;

describe('baton server: runs across server restarts, schedules, pipeline changes', function () {
  this.timeout(40000);
  let workspace = '';
  const servers: StartedServer[] = [];
  const open = (): StartedServer => {
    const server = startServer(workspace);
    servers.push(server);
    return server;
  };
  beforeEach(() => {
    workspace = mkdtempSync(path.join(os.tmpdir(), 'baton-server-runs-'));
    writeFileSync(path.join(workspace, 'slow.pipeline.yaml'), SLOW);
  });
  afterEach(() => {
    for (const server of servers.splice(0))
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    rmSync(workspace, { recursive: true, force: true });
  });

  const runStatus = (server: StartedServer, runId: string): string | undefined =>
    paramsOf<P.DidChangeRunParams>(server, 'baton/didChangeRun')
      .filter((n) => n.run.runId === runId)
      .at(-1)?.run.status;

  it('leaves its runs interrupted and resumable when it is killed, and a new server resumes them', async () => {
    const first = open();
    await initializeServer(first, workspace);
    const { runId } = await first.client.sendRequest<P.StartRunResult>('baton/startRun', {
      pipeline: 'slow',
    });
    await until(
      () =>
        paramsOf<P.DidAppendLogParams>(first, 'baton/didAppendLog').some((l) =>
          l.text.includes('waiting'),
        ),
      15000,
      'the slow stage to start',
    );
    first.child.kill('SIGKILL');
    await first.exited;

    const second = open();
    await initializeServer(second, workspace);
    // Sent at once: the request waits for the new server's recovery of the run instead of
    // being refused by the owner lock that recovery holds for a moment.
    const plan = await second.client.sendRequest<P.ResumeRunResult>('baton/resumeRun', {
      runId,
      dryRun: true,
    });
    assert.deepEqual(
      plan.plan.steps.map((step) => [step.stage, step.action]),
      [
        ['first', 'skip'],
        ['wait', 'rerun'],
      ],
    );
    await second.client.sendRequest('baton/resumeRun', { runId });
    await until(() => runStatus(second, runId) === 'running', 15000, 'the run to resume');
    await second.client.sendRequest('baton/stopRun', { runId });
    await until(
      () => runStatus(second, runId) === 'cancelled',
      15000,
      () =>
        JSON.stringify(
          second.notifications.map((n) => [
            n.method,
            (n.params.run as P.RunSummary | undefined)?.status,
            n.params.message,
          ]),
        ),
    );
    await assert.rejects(
      second.client.sendRequest('baton/stopRun', { runId }),
      (error: { code: number }) => error.code === -32015,
    );
  });

  it('interrupts its runs on shutdown + exit and exits 0', async () => {
    const server = open();
    await initializeServer(server, workspace);
    const { runId } = await server.client.sendRequest<P.StartRunResult>('baton/startRun', {
      pipeline: 'slow',
    });
    await until(() => runStatus(server, runId) === 'running', 15000, 'the run to start');
    await server.client.sendRequest('shutdown');
    await server.client.sendNotification('exit');
    assert.equal(await within(server.exited, 20000, 'exit'), 0);
    const next = open();
    await initializeServer(next, workspace);
    const run = await next.client.sendRequest<P.RunSnapshot>('baton/getRun', { runId });
    assert.equal(run.status, 'interrupted');
  });

  it('starts scheduled pipelines on time', async () => {
    writeFileSync(path.join(workspace, 'tick.pipeline.yaml'), TICK);
    const server = open();
    await initializeServer(server, workspace);
    await until(
      () =>
        paramsOf<P.DidChangeRunParams>(server, 'baton/didChangeRun').some(
          (n) => n.run.pipeline === 'tick' && n.run.status === 'succeeded' && n.run.local,
        ),
      15000,
      'a scheduled run of tick to succeed',
    );
  });

  it('tells the client when pipeline files are added, edited or deleted', async () => {
    const server = open();
    await initializeServer(server, workspace);
    const before = await server.client.sendRequest<P.ListPipelinesResult>(
      'baton/listPipelines',
      {},
    );
    assert.deepEqual(
      before.pipelines.map((p) => p.id),
      ['slow'],
    );
    writeFileSync(
      path.join(workspace, 'extra.pipeline.yaml'),
      'name: Extra\nstages:\n  a:\n    run: "true"\n',
    );
    await until(
      () =>
        paramsOf<P.DidChangePipelinesParams>(server, 'baton/didChangePipelines').some((n) =>
          n.pipelines.some((p) => p.id === 'extra' && p.valid),
        ),
      15000,
      'didChangePipelines with extra',
    );
    rmSync(path.join(workspace, 'extra.pipeline.yaml'));
    await until(
      () =>
        paramsOf<P.DidChangePipelinesParams>(server, 'baton/didChangePipelines').at(-1)?.pipelines
          .length === 1,
      15000,
      'didChangePipelines without extra',
    );
  });

  it('shows and breaks a stale pipeline lock, never a live one', async () => {
    const server = open();
    await initializeServer(server, workspace);
    const storeModule = path.join(__dirname, '..', '..', 'src', 'store', 'runStore.js');
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const { RunStore } = require(${JSON.stringify(storeModule)});
         new RunStore(${JSON.stringify(path.join(workspace, '.baton'))})
           .acquirePipelineLock('slow', '20260101-000000-000-aaaa')
           .then((r) => { console.log(r.acquired ? 'locked' : 'busy'); setInterval(() => {}, 1000); });`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const locked = new Promise<string>((resolve) =>
      holder.stdout.on('data', (chunk: Buffer) => resolve(chunk.toString().trim())),
    );
    try {
      assert.equal(await within(locked, 10000, 'the lock holder'), 'locked');
      const live = await server.client.sendRequest<P.GetLockResult>('baton/getLock', {
        pipeline: 'slow',
      });
      assert.equal(live.lock?.pid, holder.pid);
      assert.deepEqual([live.lock?.ownerAlive, live.lock?.stale], [true, false]);
      await assert.rejects(
        server.client.sendRequest('baton/breakLock', { pipeline: 'slow' }),
        (error: { code: number }) => error.code === -32018,
      );
      await assert.rejects(
        server.client.sendRequest('baton/startRun', { pipeline: 'slow' }),
        (error: { code: number }) => error.code === -32018,
      );
    } finally {
      holder.kill('SIGKILL');
    }
    await new Promise((resolve) => holder.on('exit', resolve));
    const stale = await server.client.sendRequest<P.GetLockResult>('baton/getLock', {
      pipeline: 'slow',
    });
    assert.deepEqual([stale.lock?.ownerAlive, stale.lock?.stale], [false, true]);
    const broken = await server.client.sendRequest<P.BreakLockResult>('baton/breakLock', {
      pipeline: 'slow',
    });
    assert.equal(broken.broken.pid, holder.pid);
    assert.deepEqual(await server.client.sendRequest('baton/getLock', { pipeline: 'slow' }), {
      lock: null,
    });
    await assert.rejects(
      server.client.sendRequest('baton/breakLock', { pipeline: 'slow' }),
      (error: { code: number }) => error.code === -32019,
    );
    await assert.rejects(
      server.client.sendRequest('baton/getLock', { pipeline: 'nope' }),
      (error: { code: number }) => error.code === -32011,
    );
  });

  it('refuses pipeline paths outside the workspace and ids that are paths', async () => {
    const server = open();
    await initializeServer(server, workspace);
    const outside = path.join(os.tmpdir(), 'elsewhere.pipeline.yaml');
    writeFileSync(outside, SLOW);
    try {
      for (const pipeline of [outside, '../elsewhere.pipeline.yaml', '/etc/passwd']) {
        await assert.rejects(
          server.client.sendRequest('baton/startRun', { pipeline }),
          (error: { code: number }) => error.code === -32011,
          pipeline,
        );
      }
    } finally {
      rmSync(outside, { force: true });
    }
    for (const runId of ['../x', 'a/b', '..']) {
      await assert.rejects(
        server.client.sendRequest('baton/getRun', { runId }),
        (error: { code: number; data: { field: string } }) =>
          error.code === -32602 && error.data.field === 'runId',
        runId,
      );
    }
  });

  it('shows its runs as LSP work-done progress when the client supports it', async () => {
    const server = open();
    const tokens: unknown[] = [];
    const values: P.ProgressParams['value'][] = [];
    // vscode-jsonrpc routes $/progress to handlers registered per token, as LSP clients do.
    server.client.onRequest('window/workDoneProgress/create', (params: { token: string }) => {
      tokens.push(params.token);
      server.client.onProgress(
        new ProgressType<P.ProgressParams['value']>(),
        params.token,
        (value) => values.push(value),
      );
      return null;
    });
    await initializeServer(server, workspace, {
      capabilities: { window: { workDoneProgress: true } },
    });
    const { runId } = await server.client.sendRequest<P.StartRunResult>('baton/startRun', {
      pipeline: 'slow',
    });
    const token = `baton/run/${runId}`;
    await until(() => values.some((value) => value.kind === 'begin'), 15000, 'progress begin');
    assert.deepEqual(tokens, [token]);
    // Cancelling the progress in the client stops the run.
    await server.client.sendNotification('window/workDoneProgress/cancel', { token });
    await until(() => values.some((value) => value.kind === 'end'), 15000, 'progress end');
    assert.equal(runStatus(server, runId), 'cancelled');
  });

  it('never sends a masked value: notifications, snapshot, events and log all hide it', async () => {
    writeFileSync(path.join(workspace, 'secret.pipeline.yaml'), SECRET);
    const server = open();
    await initializeServer(server, workspace);
    const { runId } = await server.client.sendRequest<P.StartRunResult>('baton/startRun', {
      pipeline: 'secret',
    });
    await until(() => runStatus(server, runId) === 'succeeded', 15000, 'the secret run to finish');
    const answers = [
      await server.client.sendRequest('baton/getRun', { runId }),
      await server.client.sendRequest('baton/getEvents', { afterSeq: 0 }),
      await server.client.sendRequest('baton/getLog', { runId, stage: 'leak' }),
    ];
    const everything = JSON.stringify([server.notifications, answers]);
    assert.ok(everything.includes('the password is'), 'the log line itself arrived');
    assert.ok(!everything.includes('hunter2-xyz'), 'the masked value never appears');
  });

  it('says StateDirUnavailable when the state dir cannot be created', async () => {
    writeFileSync(path.join(workspace, 'blocker'), 'a file where a directory should be');
    const server = open();
    await initializeServer(server, workspace, {
      initializationOptions: { stateDir: path.join(workspace, 'blocker', 'state') },
    });
    await assert.rejects(
      server.client.sendRequest('baton/startRun', { pipeline: 'slow' }),
      (error: { code: number; message: string }) =>
        error.code === -32021 && /blocker/.test(error.message),
    );
    const { pipelines } = await server.client.sendRequest<P.ListPipelinesResult>(
      'baton/listPipelines',
      {},
    );
    assert.deepEqual(
      pipelines.map((p) => p.id),
      ['slow'],
      'the server keeps serving',
    );
  });

  it('exits when its client process dies', async () => {
    const parent = spawn('sleep', ['60'], { stdio: 'ignore' });
    const server = open();
    await initializeServer(server, workspace, { processId: parent.pid });
    parent.kill('SIGKILL');
    assert.equal(await within(server.exited, 15000, 'exit after the client died'), 1);
  });
});
