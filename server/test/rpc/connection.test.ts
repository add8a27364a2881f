import * as assert from 'node:assert/strict';
import { ErrorCodes } from '@baton/protocol';
import { rpcError } from '../../src/rpc/rpcErrors';
import { createHarness, isLogMessage, type Sent } from './harness';

const fakeRun = {
  runId: 'r1',
  pipeline: 'p',
  pipelineName: 'P',
  file: '/w/p.pipeline.yaml',
  status: 'running' as const,
  createdAt: 1,
  stageCounts: {},
  openPrompts: 0,
  local: true,
};

describe('rpc connection (in-memory streams)', () => {
  it('runs the LSP life cycle: initialize, requests, shutdown, exit 0', async () => {
    const seen: string[] = [];
    const h = createHarness({
      onInitialize: (params) => void seen.push(`initialize ${String(params.processId)}`),
      onInitialized: () => void seen.push('initialized'),
      onShutdown: () => void seen.push('shutdown'),
      handlers: { 'baton/listRuns': () => ({ runs: [fakeRun] }) },
    });
    const early = await h.request('baton/listRuns', {});
    assert.equal(early.error?.code, ErrorCodes.ServerNotInitialized);
    const init = await h.initialize();
    assert.deepEqual(init.result, {
      capabilities: {},
      serverInfo: { name: 'baton', version: '9.9.9-test' },
      protocolVersion: 1,
    });
    assert.deepEqual((await h.request('baton/listRuns', {})).result, { runs: [fakeRun] });
    assert.equal(
      (await h.request('initialize', { processId: null, capabilities: {} })).error?.code,
      ErrorCodes.InvalidRequest,
    );
    assert.equal((await h.request('shutdown')).result, null);
    assert.equal((await h.request('baton/listRuns', {})).error?.code, ErrorCodes.InvalidRequest);
    h.send({ jsonrpc: '2.0', method: 'exit' });
    assert.deepEqual(await h.exited, { code: 0, reason: 'the client sent exit' });
    assert.deepEqual(seen, ['initialize null', 'initialized', 'shutdown']);
  });

  it('exits with 1 on exit without shutdown, and when the input closes', async () => {
    const a = createHarness();
    await a.initialize();
    a.send({ jsonrpc: '2.0', method: 'exit' });
    assert.equal((await a.exited).code, 1);
    const b = createHarness();
    await b.initialize();
    b.toServer.end();
    assert.deepEqual(await b.exited, { code: 1, reason: 'the input stream ended' });
  });

  it('answers parse errors with id null, invalid requests with -32600, unknown methods with -32601', async () => {
    const h = createHarness();
    await h.initialize();
    h.writeRaw('Content-Length: 5\r\n\r\n{oops');
    const parse = await h.waitFor(
      (m) => !Array.isArray(m) && m.error?.code === ErrorCodes.ParseError,
    );
    assert.equal((parse as Sent).id, null);
    for (const bad of [
      { jsonrpc: '1.0', id: 1, method: 'x' },
      { jsonrpc: '2.0', id: 2, method: 42 },
      { jsonrpc: '2.0', id: 3, method: 'x', params: 'str' },
      42,
    ]) {
      h.send(bad);
    }
    const invalidIds = (): unknown[] =>
      h.received.flatMap((m) =>
        !Array.isArray(m) && m.error?.code === ErrorCodes.InvalidRequest ? [m.id] : [],
      );
    await h.waitFor(() => invalidIds().length === 4);
    assert.deepEqual(invalidIds(), [1, 2, 3, null]);
    h.send({ jsonrpc: '2.0', id: { bad: true }, method: 'x' });
    await h.waitFor(() => invalidIds().length === 5);
    assert.equal(invalidIds()[4], null);
    // A broken response is logged, never answered.
    h.send({ jsonrpc: '2.0', id: 9, result: 1, error: { code: 1, message: 'both' } });
    assert.equal((await h.request('baton/nope', {})).error?.code, ErrorCodes.MethodNotFound);
    h.send({ jsonrpc: '2.0', method: 'baton/unknownNotification', params: {} });
    assert.deepEqual((await h.request('shutdown')).result, null);
    assert.equal(
      h.received.some((m) => !Array.isArray(m) && m.id === 9),
      false,
    );
  });

  it('validates params with -32602 and data naming the field', async () => {
    let called = 0;
    const h = createHarness({
      handlers: {
        'baton/getRun': () => {
          called++;
          throw rpcError(ErrorCodes.RunNotFound, 'no');
        },
      },
    });
    await h.initialize();
    const cases: [unknown, string][] = [
      [undefined, ''],
      [[1, 2], ''],
      [{}, 'runId'],
      [{ runId: 7 }, 'runId'],
      [{ runId: '../etc' }, 'runId'],
      [{ runId: 'r1', recentEvents: 'x' }, 'recentEvents'],
      [{ runId: 'r1', recentEvents: 5000 }, 'recentEvents'],
    ];
    for (const [params, field] of cases) {
      const response = await h.request('baton/getRun', params);
      assert.equal(response.error?.code, ErrorCodes.InvalidParams, JSON.stringify(params));
      assert.equal(
        (response.error?.data as { field: string }).field,
        field,
        JSON.stringify(params),
      );
    }
    assert.equal(called, 0);
    const ok = await h.request('baton/getRun', { runId: 'r1' });
    assert.equal(ok.error?.code, ErrorCodes.RunNotFound);
    assert.equal(called, 1);
  });

  it('keeps thrown JSON-RPC codes, turns other throws into -32603 and keeps serving', async () => {
    const h = createHarness({
      handlers: {
        'baton/startRun': () => {
          throw rpcError(ErrorCodes.PipelineInvalid, 'bad file', { diagnostics: [] });
        },
        'baton/stopRun': () => {
          throw new TypeError('boom');
        },
        'baton/listRuns': async () => Promise.reject(new Error('async boom')),
        'baton/listPipelines': () => ({ pipelines: [] }),
      },
    });
    await h.initialize();
    const invalid = await h.request('baton/startRun', { pipeline: 'x' });
    assert.deepEqual(invalid.error, {
      code: ErrorCodes.PipelineInvalid,
      message: 'bad file',
      data: { diagnostics: [] },
    });
    const thrown = await h.request('baton/stopRun', { runId: 'r1' });
    assert.equal(thrown.error?.code, ErrorCodes.InternalError);
    assert.match(thrown.error?.message ?? '', /boom/);
    assert.equal((await h.request('baton/listRuns', {})).error?.code, ErrorCodes.InternalError);
    assert.deepEqual((await h.request('baton/listPipelines')).result, { pipelines: [] });
    const log = await h.waitFor(
      (m) => isLogMessage(m) && /boom/.test(String((m.params as { message: string }).message)),
    );
    assert.equal(((log as Sent).params as { type: number }).type, 1);
  });

  it('answers batches, mixing requests, notifications and invalid entries', async () => {
    const h = createHarness({ handlers: { 'baton/listPipelines': () => ({ pipelines: [] }) } });
    await h.initialize();
    h.send([
      { jsonrpc: '2.0', id: 'a', method: 'baton/listPipelines', params: {} },
      { jsonrpc: '2.0', method: '$/setTrace', params: { value: 'off' } },
      { jsonrpc: '2.0', id: 'b', method: 'baton/nope' },
      'junk',
    ]);
    const batch = (await h.waitFor((m) => Array.isArray(m))) as Sent[];
    const byId = new Map(batch.map((r) => [r.id, r]));
    assert.equal(batch.length, 3);
    assert.deepEqual(byId.get('a')?.result, { pipelines: [] });
    assert.equal(byId.get('b')?.error?.code, ErrorCodes.MethodNotFound);
    assert.equal(byId.get(null)?.error?.code, ErrorCodes.InvalidRequest);
    h.send([]);
    const empty = await h.waitFor(
      (m) => !Array.isArray(m) && m.id === null && m.error?.code === ErrorCodes.InvalidRequest,
    );
    assert.match((empty as Sent).error?.message ?? '', /empty batch/);
    h.send(Array.from({ length: 1001 }, () => 1));
    await h.waitFor((m) => !Array.isArray(m) && /above 1000/.test(m.error?.message ?? ''));
  });

  it('answers a cancelled request with -32800 and aborts its handler', async () => {
    let aborted = false;
    const h = createHarness({
      handlers: {
        'baton/getEvents': (_params, context) =>
          new Promise((resolve) => {
            context.signal.addEventListener('abort', () => {
              aborted = true;
              resolve({ events: [], lastSeq: 0, hasMore: false, firstSeq: 1 });
            });
          }),
      },
    });
    await h.initialize();
    h.send({ jsonrpc: '2.0', id: 77, method: 'baton/getEvents', params: { afterSeq: 0 } });
    h.send({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id: 77 } });
    const response = (await h.waitFor((m) => !Array.isArray(m) && m.id === 77)) as Sent;
    assert.equal(response.error?.code, ErrorCodes.RequestCancelled);
    assert.equal(aborted, true);
    h.send({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id: 12345 } });
    assert.equal((await h.request('shutdown')).result, null);
  });

  it('refuses a request past the in-flight limit with TooManyRequests, and serves again once answers went out', async () => {
    const held: (() => void)[] = [];
    const h = createHarness({
      maxRequestsInFlight: 3,
      handlers: {
        'baton/getEvents': () =>
          new Promise((resolve) =>
            held.push(() => resolve({ events: [], lastSeq: 0, hasMore: false, firstSeq: 1 })),
          ),
        'baton/listPipelines': () => ({ pipelines: [] }),
      },
    });
    await h.initialize();
    for (const id of [1, 2, 3])
      h.send({ jsonrpc: '2.0', id, method: 'baton/getEvents', params: { afterSeq: 0 } });
    const refused = await h.request('baton/listPipelines', {});
    assert.equal(refused.error?.code, ErrorCodes.TooManyRequests);
    assert.deepEqual(refused.error?.data, { limit: 3 });
    assert.match(refused.error?.message ?? '', /at most 3 at once.*baton\/listPipelines/);
    for (const release of held.splice(0)) release();
    for (const id of [1, 2, 3]) await h.waitFor((m) => !Array.isArray(m) && m.id === id);
    // In memory an answer reaches the client within the turn the server wrote it, before the
    // stream's callback says it was taken (over a pipe the callback comes first): let that turn end.
    await new Promise((resolve) => setImmediate(resolve));
    const again = await h.request('baton/listPipelines', {});
    assert.deepEqual([again.result, again.error], [{ pipelines: [] }, undefined]);
    // The life cycle is never refused.
    for (const id of [4, 5, 6])
      h.send({ jsonrpc: '2.0', id, method: 'baton/getEvents', params: { afterSeq: 0 } });
    assert.equal((await h.request('shutdown')).result, null);
  });

  it('sends $/logTrace lines once tracing is on', async () => {
    const h = createHarness({ handlers: { 'baton/listPipelines': () => ({ pipelines: [] }) } });
    await h.initialize();
    await h.request('baton/listPipelines', {});
    assert.equal(
      h.received.some((m) => !Array.isArray(m) && m.method === '$/logTrace'),
      false,
    );
    h.send({ jsonrpc: '2.0', method: '$/setTrace', params: { value: 'verbose' } });
    await h.request('baton/listPipelines', { x: 1 }, 'traced');
    const trace = (await h.waitFor((m) => !Array.isArray(m) && m.method === '$/logTrace')) as Sent;
    const params = trace.params as { message: string; verbose: string };
    assert.match(params.message, /baton\/listPipelines \(traced\): ok/);
    assert.match(params.verbose, /"x":1/);
  });

  it('sends typed notifications and requests to the client, and routes the responses back', async () => {
    const h = createHarness();
    await h.initialize();
    await h.connection.notify('baton/didAppendLog', {
      seq: 3,
      runId: 'r',
      stage: 's',
      attempt: 1,
      text: 'hi\n',
      offset: 0,
    });
    await h.waitFor((m) => !Array.isArray(m) && m.method === 'baton/didAppendLog');
    const answer = h.connection.request('window/workDoneProgress/create', { token: 'baton/run/r' });
    const request = (await h.waitFor(
      (m) => !Array.isArray(m) && m.method === 'window/workDoneProgress/create',
    )) as Sent;
    h.send({ jsonrpc: '2.0', id: request.id, result: null });
    assert.equal(await answer, null);
  });

  it('logs levelled lines through window/logMessage and honours the level', async () => {
    const h = createHarness({ logLevel: 'info' });
    h.connection.logger.trace('hidden');
    h.connection.logger.warn('shown');
    const log = (await h.waitFor((m) => isLogMessage(m))) as Sent;
    assert.deepEqual(log.params, { type: 2, message: 'shown' });
    assert.equal(h.received.filter(isLogMessage).length, 1);
  });

  it('passes workDoneProgress/cancel to its hook and refuses bad initialize params', async () => {
    const tokens: unknown[] = [];
    const h = createHarness({ onProgressCancel: (token) => void tokens.push(token) });
    const bad = await h.request('initialize', { processId: 'me', capabilities: {} });
    assert.equal(bad.error?.code, ErrorCodes.InvalidParams);
    assert.equal((bad.error?.data as { field: string }).field, 'processId');
    const badOptions = await h.request('initialize', {
      processId: null,
      initializationOptions: { trusted: 'yes' },
    });
    assert.equal(
      (badOptions.error?.data as { field: string }).field,
      'initializationOptions.trusted',
    );
    await h.initialize();
    h.send({
      jsonrpc: '2.0',
      method: 'window/workDoneProgress/cancel',
      params: { token: 'baton/run/r9' },
    });
    await h.request('shutdown');
    assert.deepEqual(tokens, ['baton/run/r9']);
  });
});
