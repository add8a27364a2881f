import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as P from '@baton/protocol';
import {
  initializeServer,
  paramsOf,
  startServer,
  until,
  type StartedServer,
} from './serverHarness';

const FLOOD = `name: Flood
stages:
  a:
    run: seq 1 100000
  b:
    run: seq 1 100000
  c:
    run: seq 1 100000
`;

const QUIET = `name: Quiet
stages:
  few:
    run: for i in 1 2 3 4 5; do echo "line $i é"; sleep 0.05; done
`;

/** What `seq 1 100000` prints. */
function seqOutput(): string {
  let text = '';
  for (let i = 1; i <= 100000; i++) text += `${i}\n`;
  return text;
}

/**
 * Rebuilds a stage's log the way a client does: the live messages in order,
 * each gap before one read with `baton/getLog`. Fails when messages overlap
 * or go back. Returns the log and how many bytes came live.
 */
async function rebuildLog(
  server: StartedServer,
  runId: string,
  messages: readonly P.DidAppendLogParams[],
): Promise<{ log: string; liveBytes: number }> {
  const parts: Buffer[] = [];
  let end = 0;
  let liveBytes = 0;
  for (const message of messages) {
    assert.ok(message.offset >= end, `a message at ${message.offset} goes back before ${end}`);
    while (end < message.offset) {
      const slice = await server.client.sendRequest<P.GetLogResult>('baton/getLog', {
        runId,
        stage: message.stage,
        attempt: message.attempt,
        offset: end,
        limit: message.offset - end,
      });
      assert.equal(slice.offset, end);
      parts.push(Buffer.from(slice.text, 'utf8'));
      end = slice.nextOffset;
    }
    const bytes = Buffer.from(message.text, 'utf8');
    parts.push(bytes);
    liveBytes += bytes.length;
    end += bytes.length;
  }
  return { log: Buffer.concat(parts).toString('utf8'), liveBytes };
}

describe('baton server: the live-log budget over stdio', function () {
  this.timeout(40000);
  let workspace = '';
  let server: StartedServer | undefined;
  beforeEach(() => {
    workspace = mkdtempSync(path.join(os.tmpdir(), 'baton-live-log-'));
    writeFileSync(path.join(workspace, 'flood.pipeline.yaml'), FLOOD);
    writeFileSync(path.join(workspace, 'quiet.pipeline.yaml'), QUIET);
  });
  afterEach(() => {
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
    rmSync(workspace, { recursive: true, force: true });
  });

  const runStatus = (runId: string): string | undefined =>
    server &&
    paramsOf<P.DidChangeRunParams>(server, 'baton/didChangeRun')
      .filter((n) => n.run.runId === runId)
      .at(-1)?.run.status;

  const runToEnd = async (pipeline: string): Promise<string> => {
    if (server === undefined) throw new Error('no server');
    const { runId } = await server.client.sendRequest<P.StartRunResult>('baton/startRun', {
      pipeline,
    });
    // The server keeps answering while the stages print.
    await server.client.sendRequest('baton/getRun', { runId });
    await until(() => runStatus(runId) === 'succeeded', 30000, `the ${pipeline} run to succeed`);
    return runId;
  };

  it('sends the newest text of a flood live; the gaps read with getLog give back every log exactly', async () => {
    server = startServer(workspace);
    await initializeServer(server, workspace, {
      initializationOptions: { liveLogBytesPerSecond: 4096 },
    });
    const runId = await runToEnd('flood');
    const logs = paramsOf<P.DidAppendLogParams>(server, 'baton/didAppendLog');
    const expected = seqOutput();
    let live = 0;
    for (const stage of ['a', 'b', 'c']) {
      const mine = logs.filter((l) => l.stage === stage);
      const rebuilt = await rebuildLog(server, runId, mine);
      assert.equal(rebuilt.log, expected, `the whole log of ${stage}`);
      assert.ok(mine.at(-1)?.text.endsWith('99999\n100000\n'), 'the newest text went out live');
      live += rebuilt.liveBytes;
    }
    assert.ok(live < expected.length, `${live} bytes came live: the budget left gaps`);
    assert.ok(logs.length < 3000, `${logs.length} log messages for 300000 lines`);
  });

  it('sends output within the budget whole, without gaps', async () => {
    server = startServer(workspace);
    await initializeServer(server, workspace);
    await runToEnd('quiet');
    const mine = paramsOf<P.DidAppendLogParams>(server, 'baton/didAppendLog');
    let offset = 0;
    for (const message of mine) {
      assert.equal(message.offset, offset, 'offsets are contiguous');
      offset += Buffer.byteLength(message.text, 'utf8');
    }
    assert.equal(
      mine.map((m) => m.text).join(''),
      'line 1 é\nline 2 é\nline 3 é\nline 4 é\nline 5 é\n',
    );
  });

  it('refuses a live-log budget below 1024 bytes per second', async () => {
    server = startServer(workspace);
    await assert.rejects(
      initializeServer(server, workspace, { initializationOptions: { liveLogBytesPerSecond: 10 } }),
      /liveLogBytesPerSecond/,
    );
  });
});
