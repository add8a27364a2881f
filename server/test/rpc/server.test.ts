import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as P from '@baton/protocol';
import {
  StreamMessageReader,
  StreamMessageWriter,
  createMessageConnection,
} from 'vscode-jsonrpc/node';
import { within } from './processHarness';
import { BATON_BIN, startServer, until, type StartedServer } from './serverHarness';

const PIPELINE = `name: Demo
stages:
  hello:
    run: printf 'one\\ntwo\\n'
  ask:
    needs: [hello]
    run: |
      echo '::prompt id=go,type=confirm::Go on?'
      read answer
      echo "got $answer"
`;

describe('baton server over stdio (the built main.js as a child process)', function () {
  this.timeout(30000);
  let workspace = '';
  let server: StartedServer | undefined;
  beforeEach(() => {
    workspace = mkdtempSync(path.join(os.tmpdir(), 'baton-server-'));
    writeFileSync(path.join(workspace, 'demo.pipeline.yaml'), PIPELINE);
    writeFileSync(path.join(workspace, 'broken.pipeline.yaml'), 'stages: 3\n');
  });
  afterEach(() => {
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
    rmSync(workspace, { recursive: true, force: true });
  });

  it('lists pipelines, runs one, streams logs, answers a prompt over RPC, and replays events', async () => {
    server = startServer(workspace);
    const { client, notifications } = server;
    const init = await client.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(workspace).href,
      capabilities: {},
    });
    assert.equal((init as P.InitializeResult).serverInfo.name, 'baton');
    await client.sendNotification('initialized', {});
    const { pipelines } = await client.sendRequest<P.ListPipelinesResult>(
      'baton/listPipelines',
      {},
    );
    assert.deepEqual(
      pipelines.map((p) => [p.id, p.valid]),
      [
        ['broken', false],
        ['demo', true],
      ],
    );
    assert.ok((pipelines[0]?.diagnostics.length ?? 0) > 0);

    const { runId } = await client.sendRequest<P.StartRunResult>('baton/startRun', {
      pipeline: 'demo',
    });
    await until(
      () => notifications.some((n) => n.method === 'baton/didOpenPrompt'),
      15000,
      'the prompt',
    );
    const prompt = notifications.find((n) => n.method === 'baton/didOpenPrompt')
      ?.params as unknown as P.DidOpenPromptParams;
    assert.equal(prompt.type, 'confirm');
    await assert.rejects(
      client.sendRequest('baton/answerPrompt', { runId, promptId: prompt.promptId, value: 'yes' }),
      /boolean|confirm|yes/i,
    );
    await client.sendRequest('baton/answerPrompt', {
      runId,
      promptId: prompt.promptId,
      value: true,
    });
    const finished = (): boolean =>
      notifications.some(
        (n) =>
          n.method === 'baton/didChangeRun' &&
          (n.params.run as P.RunSummary).status === 'succeeded',
      );
    await until(finished, 15000, 'the run to succeed');

    const logs = notifications
      .filter((n) => n.method === 'baton/didAppendLog')
      .map((n) => n.params as unknown as P.DidAppendLogParams);
    const text = (stage: string): string =>
      logs
        .filter((l) => l.stage === stage)
        .map((l) => l.text)
        .join('');
    assert.match(text('hello'), /one\ntwo\n/);
    assert.match(text('ask'), /got true/);
    const seqs = notifications
      .filter((n) => n.method.startsWith('baton/'))
      .map((n) => n.params.seq);
    assert.deepEqual(
      seqs,
      [...seqs].sort((a, b) => a - b),
      'notifications arrive in seq order',
    );

    const events = await client.sendRequest<P.GetEventsResult>('baton/getEvents', {
      afterSeq: 0,
      runId,
    });
    assert.ok(events.events.some((e) => e.kind === 'promptClosed'));
    assert.equal(events.events.at(-1)?.kind, 'runStatusChanged');
    // A client that missed notifications fills the gap from any seq it saw.
    const everything = await client.sendRequest<P.GetEventsResult>('baton/getEvents', {
      afterSeq: 0,
    });
    for (const n of notifications.filter((m) => /didOpenPrompt|didClosePrompt/.test(m.method))) {
      assert.ok(
        everything.events.some((e) => e.seq === n.params.seq),
        `event ${n.params.seq} replayed`,
      );
    }
    const cut = everything.events[2]?.seq ?? 0;
    const gap = await client.sendRequest<P.GetEventsResult>('baton/getEvents', { afterSeq: cut });
    assert.deepEqual(
      gap.events,
      everything.events.filter((e) => e.seq > cut),
    );
    const later = await client.sendRequest<P.GetEventsResult>('baton/getEvents', {
      afterSeq: events.lastSeq,
    });
    assert.deepEqual(later.events, []);

    const run = await client.sendRequest<P.RunSnapshot>('baton/getRun', { runId });
    assert.equal(run.status, 'succeeded');
    assert.equal(run.local, true, 'a run this server ran is local in getRun too');
    assert.deepEqual(
      run.stages.map((s) => s.status),
      ['succeeded', 'succeeded'],
    );
    const log = await client.sendRequest<P.GetLogResult>('baton/getLog', { runId, stage: 'hello' });
    assert.match(log.text, /one\ntwo/);
    const runs = await client.sendRequest<P.ListRunsResult>('baton/listRuns', {});
    assert.deepEqual(
      runs.runs.map((r) => [r.runId, r.local, r.number]),
      [[runId, true, 1]],
      'the run carries its number among its pipeline runs',
    );
    const created = everything.events.find((e) => e.kind === 'runCreated');
    assert.equal(created?.kind === 'runCreated' ? created.number : undefined, 1);

    assert.equal(await client.sendRequest('shutdown'), null);
    await client.sendNotification('exit');
    assert.equal(await within(server.exited, 10000, 'exit'), 0);
  });

  it('shows a run the CLI started live, and answers its prompt through the run inbox', async () => {
    server = startServer(workspace);
    const { client, notifications } = server;
    await client.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(workspace).href,
      capabilities: {},
    });
    await client.sendRequest('baton/listRuns', {});
    const cli = spawn(process.execPath, [BATON_BIN, 'run', 'demo.pipeline.yaml'], {
      cwd: workspace,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let cliOutput = '';
    cli.stdout.on('data', (chunk: Buffer) => (cliOutput += chunk.toString('utf8')));
    cli.stderr.on('data', (chunk: Buffer) => (cliOutput += chunk.toString('utf8')));
    const cliExited = new Promise<number | null>((resolve) =>
      cli.on('exit', (code) => resolve(code)),
    );
    try {
      await until(
        () => notifications.some((n) => n.method === 'baton/didOpenPrompt'),
        20000,
        'the CLI run prompt to appear',
      );
      const prompt = notifications.find((n) => n.method === 'baton/didOpenPrompt')
        ?.params as unknown as P.DidOpenPromptParams;
      const change = notifications.find((n) => n.method === 'baton/didChangeRun')?.params
        .run as P.RunSummary;
      assert.equal(change.local, false);
      await client.sendRequest('baton/answerPrompt', {
        runId: prompt.runId,
        promptId: prompt.promptId,
        value: true,
      });
      assert.equal(await within(cliExited, 20000, `the CLI run to end: ${cliOutput}`), 0);
      await until(
        () =>
          notifications.some(
            (n) =>
              n.method === 'baton/didChangeRun' &&
              (n.params.run as P.RunSummary).status === 'succeeded',
          ),
        10000,
        `the CLI run to show as succeeded: ${JSON.stringify(notifications.map((n) => [n.method, n.params.seq, (n.params.run as P.RunSummary | undefined)?.status, n.params.message]))}`,
      );
      const logText = notifications
        .filter((n) => n.method === 'baton/didAppendLog')
        .map((n) => (n.params as unknown as P.DidAppendLogParams).text)
        .join('');
      assert.match(logText, /got true/);
    } finally {
      if (cli.exitCode === null) cli.kill('SIGKILL');
    }
  });

  it('runs as `baton serve --stdio` from the CLI, with the same life cycle', async () => {
    const child = spawn(process.execPath, [BATON_BIN, 'serve', '--stdio'], {
      cwd: workspace,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    const client = createMessageConnection(
      new StreamMessageReader(child.stdout),
      new StreamMessageWriter(child.stdin),
    );
    client.listen();
    try {
      await client.sendRequest('initialize', {
        processId: process.pid,
        rootUri: pathToFileURL(workspace).href,
        capabilities: {},
      });
      const { pipelines } = await client.sendRequest<P.ListPipelinesResult>(
        'baton/listPipelines',
        {},
      );
      assert.deepEqual(
        pipelines.map((p) => p.id),
        ['broken', 'demo'],
      );
      await client.sendRequest('shutdown');
      await client.sendNotification('exit');
      assert.equal(await within(exited, 10000, 'the CLI server to exit'), 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses to start runs in an untrusted workspace and reports unknown pipelines and runs', async () => {
    server = startServer(workspace);
    const { client } = server;
    await client.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(workspace).href,
      capabilities: {},
      initializationOptions: { trusted: false },
    });
    await assert.rejects(
      client.sendRequest('baton/startRun', { pipeline: 'demo' }),
      (e: { code: number }) => e.code === -32020,
    );
    await assert.rejects(
      client.sendRequest('baton/getRun', { runId: 'nope' }),
      (e: { code: number }) => e.code === -32010,
    );
    await client.sendNotification('exit');
    assert.equal(await within(server.exited, 10000, 'exit'), 1);
  });
});
