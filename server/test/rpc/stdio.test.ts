import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  CancellationTokenSource,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
  createMessageConnection,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import { ErrorCodes } from '@baton/protocol';
import { FrameParser } from '../../src/rpc/frameParser';
import { encodeFrame } from '../../src/rpc/transport';
import { startFixture, within, type FixtureProcess } from './processHarness';

/** A vscode-jsonrpc client connected to a fresh fixture server. */
function connect(env: Record<string, string> = {}): {
  server: FixtureProcess;
  client: MessageConnection;
} {
  const server = startFixture(env);
  const client = createMessageConnection(
    new StreamMessageReader(server.child.stdout),
    new StreamMessageWriter(server.child.stdin),
  );
  client.listen();
  return { server, client };
}

async function initialize(
  client: MessageConnection,
  processId: number | null = process.pid,
): Promise<unknown> {
  const result = await client.sendRequest('initialize', {
    processId,
    capabilities: {},
    rootUri: null,
  });
  await client.sendNotification('initialized', {});
  return result;
}

/** The error code a request fails with. */
async function errorCodeOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ResponseError, `expected a ResponseError, got ${String(error)}`);
    return error.code;
  }
  assert.fail('the request succeeded');
}

/** Resident memory of a process, in bytes. */
function residentBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) * 1024;
}

describe('rpc over stdio with vscode-jsonrpc (a real child process)', function () {
  this.timeout(20000);
  const started: FixtureProcess[] = [];
  const open = (env?: Record<string, string>): ReturnType<typeof connect> => {
    const pair = connect(env);
    started.push(pair.server);
    return pair;
  };
  afterEach(() => {
    for (const server of started.splice(0))
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
  });

  it('runs the life cycle and exits 0 after shutdown + exit', async () => {
    const { server, client } = open();
    assert.equal(
      await errorCodeOf(client.sendRequest('baton/listPipelines', {})),
      ErrorCodes.ServerNotInitialized,
    );
    assert.deepEqual(await initialize(client), {
      capabilities: {},
      serverInfo: { name: 'baton', version: '0.0.0-fixture' },
      protocolVersion: 1,
    });
    assert.deepEqual(await client.sendRequest('baton/listPipelines', {}), { pipelines: [] });
    assert.equal(await client.sendRequest('shutdown'), null);
    await client.sendNotification('exit');
    assert.equal(await within(server.exited, 5000, 'exit after shutdown'), 0);
    assert.equal(server.stderr(), '');
  });

  it('exits 1 on exit without shutdown, and on stdin closing', async () => {
    const a = open();
    await initialize(a.client);
    await a.client.sendNotification('exit');
    assert.equal(await within(a.server.exited, 5000, 'exit without shutdown'), 1);
    const b = open();
    await initialize(b.client);
    b.server.child.stdin.end();
    assert.equal(await within(b.server.exited, 5000, 'exit on stdin end'), 1);
  });

  it('answers with the right error codes and keeps serving', async () => {
    const { client } = open();
    await initialize(client);
    assert.equal(
      await errorCodeOf(client.sendRequest('baton/nope', {})),
      ErrorCodes.MethodNotFound,
    );
    assert.equal(
      await errorCodeOf(client.sendRequest('baton/getRun', { runId: 5 })),
      ErrorCodes.InvalidParams,
    );
    assert.equal(
      await errorCodeOf(client.sendRequest('baton/getRun', { runId: 'r1' })),
      ErrorCodes.RunNotFound,
    );
    assert.equal(
      await errorCodeOf(client.sendRequest('baton/stopRun', { runId: 'r1' })),
      ErrorCodes.InternalError,
    );
    assert.equal(
      await errorCodeOf(client.sendRequest('initialize', { processId: null })),
      ErrorCodes.InvalidRequest,
    );
    assert.deepEqual(await client.sendRequest('baton/listPipelines', {}), { pipelines: [] });
  });

  it('honours $/cancelRequest with -32800', async () => {
    const { client } = open();
    await initialize(client);
    const source = new CancellationTokenSource();
    const pending = client.sendRequest('baton/getEvents', { afterSeq: 0 }, source.token);
    setImmediate(() => source.cancel());
    assert.equal(await errorCodeOf(pending), ErrorCodes.RequestCancelled);
    assert.deepEqual(await client.sendRequest('baton/listPipelines', {}), { pipelines: [] });
  });

  it('sends requests and notifications to the client (work-done progress)', async () => {
    const { client } = open();
    const created: unknown[] = [];
    const progress: unknown[] = [];
    client.onRequest('window/workDoneProgress/create', (params) => {
      created.push(params);
      return null;
    });
    client.onNotification('$/progress', (params) => progress.push(params));
    await initialize(client);
    assert.deepEqual(await client.sendRequest('baton/startRun', { pipeline: 'x' }), {
      runId: 'r1',
    });
    assert.deepEqual(created, [{ token: 'baton/run/r1' }]);
    await within(
      new Promise<void>((resolve) => {
        const check = (): void => void (progress.length > 0 ? resolve() : setImmediate(check));
        check();
      }),
      5000,
      'the $/progress notification',
    );
    assert.deepEqual(progress[0], {
      token: 'baton/run/r1',
      value: { kind: 'begin', title: 'fixture', percentage: 0 },
    });
  });

  it('survives malformed frames and an absurd Content-Length, then answers a valid request', async () => {
    const { server, client } = open({ FIXTURE_MAX_MESSAGE_BYTES: String(1024 * 1024) });
    await initialize(client);
    const before = residentBytes(server.child.pid ?? 0);
    const stdin = server.child.stdin;
    stdin.write('Content-Length: 999999999999\r\n\r\n');
    stdin.write('Content-Length: 2000000\r\n\r\n');
    stdin.write('Content-Length: nope\r\n\r\n{}');
    stdin.write('no header at all\r\n\r\n');
    stdin.write(encodeFrame('not a request'));
    stdin.write(Buffer.from('Content-Length: 9\r\n\r\n{"a": 1, '));
    stdin.write(encodeFrame([]));
    assert.deepEqual(await client.sendRequest('baton/listPipelines', {}), { pipelines: [] });
    const after = residentBytes(server.child.pid ?? 0);
    assert.ok(after - before < 32 * 1024 * 1024, `memory grew by ${after - before} bytes`);
    assert.equal(server.child.exitCode, null);
  });

  it('answers batches, parse errors and invalid requests over real pipes', async () => {
    const server = startFixture();
    started.push(server);
    const received: unknown[] = [];
    const parser = new FrameParser(
      {
        onFrame: (body) => received.push(JSON.parse(body.toString('utf8'))),
        onFrameError: assert.fail,
      },
      1 << 20,
    );
    server.child.stdout.on('data', (chunk: Buffer) => parser.push(chunk));
    // Log notifications come too, so count answers (messages with an id) only.
    const answers = (): unknown[] =>
      received.filter((m) => Array.isArray(m) || (m as { id?: unknown }).id !== undefined);
    const until = (count: number): Promise<void> =>
      within(
        new Promise<void>((resolve) => {
          const check = (): void =>
            void (answers().length >= count ? resolve() : setTimeout(check, 5));
          check();
        }),
        5000,
        `${count} answers`,
      );
    const stdin = server.child.stdin;
    stdin.write(
      encodeFrame({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null } }),
    );
    await until(1);
    stdin.write(
      encodeFrame([
        { jsonrpc: '2.0', id: 2, method: 'baton/listPipelines', params: {} },
        { jsonrpc: '2.0', method: 'initialized', params: {} },
        { jsonrpc: '2.0', id: 3, method: 'baton/getRun', params: { runId: 'x' } },
        { jsonrpc: '2.0', id: 4 },
      ]),
    );
    stdin.write(Buffer.from('Content-Length: 3\r\n\r\n{x}'));
    await until(3);
    const batch = received.find((m) => Array.isArray(m)) as {
      id: number;
      error?: { code: number };
    }[];
    assert.deepEqual(
      batch.map((r) => [r.id, r.error?.code ?? 'ok']).sort(),
      [
        [2, 'ok'],
        [3, ErrorCodes.RunNotFound],
        [4, ErrorCodes.InvalidRequest],
      ].sort(),
    );
    assert.deepEqual(
      received.find((m) => !Array.isArray(m) && (m as { id: unknown }).id === null),
      {
        jsonrpc: '2.0',
        id: null,
        error: { code: ErrorCodes.ParseError, message: 'Parse error' },
      },
    );
    stdin.end();
    assert.equal(await within(server.exited, 5000, 'exit on stdin end'), 1);
  });

  it('exits when the client process named in initialize dies', async () => {
    const parent = spawn('sleep', ['60'], { stdio: 'ignore' });
    const { server, client } = open({ FIXTURE_PARENT_POLL_MS: '50' });
    await initialize(client, parent.pid ?? null);
    assert.equal(server.child.exitCode, null);
    parent.kill('SIGKILL');
    assert.equal(await within(server.exited, 5000, 'exit after the parent died'), 1);
  });
});
