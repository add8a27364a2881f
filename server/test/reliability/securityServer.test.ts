import * as assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as P from '@baton/protocol';
import { waitFor } from '../helpers/waitFor';
import { baton, describeResult, runIdIn } from './harness/cli';
import { inetSockets, socketInodesOf } from './harness/procfs';
import {
  injectionValues,
  isStageWrittenFile,
  makeSecrets,
  secretValues,
  writeSecretsPipeline,
} from './harness/securityPipelines';
import { rpcErrorCode, startServer, stopServer } from './harness/serverSession';
import type { ServerSession } from './harness/serverSession';
import { filesContaining } from './harness/stateFiles';

/** Error codes a refused id may get (docs/protocol.md): bad params, or no such run, pipeline or stage. */
const REFUSED = new Set([-32602, -32010, -32011, -32017]);
const WORKSPACE_UNTRUSTED = -32020;

async function finished(session: ServerSession, runId: string): Promise<P.GetRunResult> {
  return waitFor(
    `run ${runId} to end`,
    async () => {
      const run = await session.connection.sendRequest<P.GetRunResult>('baton/getRun', { runId });
      return ['succeeded', 'failed', 'cancelled'].includes(run.status) ? run : undefined;
    },
    { timeoutMs: 20_000, intervalMs: 50 },
  );
}

describe('reliability: security of the server', function () {
  this.timeout(60_000);
  let workspace = '';
  let session: ServerSession | undefined;

  beforeEach(async () => {
    workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'baton-srvsec-'));
  });
  afterEach(async () => {
    if (session) await stopServer(session);
    session = undefined;
    await fs.rm(workspace, { recursive: true, force: true });
  });

  it('no secret is ever sent to the client: logs, events, snapshots, prompts', async () => {
    const secrets = makeSecrets(workspace);
    await writeSecretsPipeline(workspace, secrets);
    session = await startServer({ workspace, env: { CHAOS_TOKEN: secrets.token } });
    const { runId } = await session.connection.sendRequest<P.StartRunResult>('baton/startRun', {
      pipeline: 'secrets',
      inputs: { api_key: secrets.apiKey },
      interactive: false,
    });
    const run = await finished(session, runId);
    assert.equal(run.status, 'succeeded');
    // Ask for everything the client could see, so it all crosses the wire.
    await session.connection.sendRequest('baton/getEvents', { afterSeq: 0 });
    await session.connection.sendRequest('baton/getRun', { runId, recentEvents: 1000 });
    for (const stage of ['leak', 'next'])
      await session.connection.sendRequest('baton/getLog', { runId, stage });
    await session.connection.sendRequest('baton/listRuns', {});
    const values = await secretValues(secrets);
    const wire = session.wire().toString('utf8');
    assert.match(wire, /stdout \*\*\* \*\*\* \*\*\*/, 'the masked log line was sent');
    for (const value of values) assert.ok(!wire.includes(value), `the server sent ${value}`);
    const hits = await filesContaining(path.join(workspace, '.baton'), values);
    assert.deepEqual(
      hits.filter((hit) => !isStageWrittenFile(hit)),
      [],
    );
  });

  it('ids and paths that leave the workspace or the state dir are refused over RPC', async () => {
    const outside = path.join(
      path.dirname(workspace),
      `${path.basename(workspace)}-outside.pipeline.yaml`,
    );
    const ran = path.join(workspace, 'outside-ran');
    await fs.writeFile(outside, `stages:\n  a: { run: 'touch ${ran}' }\n`);
    await fs.writeFile(path.join(workspace, 'ok.pipeline.yaml'), 'stages:\n  a: { run: "true" }\n');
    const ok = await baton(workspace, ['run', 'ok.pipeline.yaml', '--yes']);
    const runId = runIdIn(ok.stdout) ?? '';
    session = await startServer({ workspace });
    const attempts: [string, object][] = [
      ['baton/getRun', { runId: '../../etc' }],
      ['baton/getRun', { runId: '/etc/passwd' }],
      ['baton/getLog', { runId, stage: '../../../../etc/passwd' }],
      ['baton/getLog', { runId: '..', stage: 'a' }],
      ['baton/resumeRun', { runId: '../x' }],
      ['baton/stopRun', { runId: '..' }],
      ['baton/retryStage', { runId, stage: '../a' }],
      ['baton/answerPrompt', { runId: '../x', promptId: 'p', value: 'v' }],
      ['baton/getEvents', { afterSeq: 0, runId: '../../x' }],
      ['baton/startRun', { pipeline: '/etc/passwd' }],
      ['baton/startRun', { pipeline: outside }],
      ['baton/startRun', { pipeline: `../${path.basename(outside)}` }],
    ];
    try {
      for (const [method, params] of attempts) {
        const outcome = await session.connection.sendRequest(method, params).then(
          (result) => ({ result }),
          (error: unknown) => ({ code: rpcErrorCode(error) }),
        );
        assert.ok('code' in outcome, `${method} ${JSON.stringify(params)} was accepted`);
        assert.ok(
          REFUSED.has(outcome.code ?? 0),
          `${method} ${JSON.stringify(params)}: code ${outcome.code}`,
        );
      }
      assert.ok(!existsSync(ran), 'a pipeline outside the workspace ran');
      assert.ok(!session.wire().toString('utf8').includes('root:x:0:0'));
    } finally {
      await fs.rm(outside, { force: true });
    }
  });

  it('inputs sent over RPC reach the shell as data', async () => {
    const marker = path.join(workspace, 'pwned');
    const [value] = injectionValues(marker);
    await fs.writeFile(
      path.join(workspace, 'inject.pipeline.yaml'),
      `inputs:\n  x: {}\nstages:\n  a: { run: 'echo \${{ inputs.x }}; echo "\${{ inputs.x }}"' }\n`,
    );
    session = await startServer({ workspace });
    const { runId } = await session.connection.sendRequest<P.StartRunResult>('baton/startRun', {
      pipeline: 'inject',
      inputs: { x: value },
      interactive: false,
    });
    assert.equal((await finished(session, runId)).status, 'succeeded');
    assert.deepEqual(
      (await fs.readdir(workspace)).filter((n) => n.startsWith('pwned')),
      [],
    );
  });

  it('listens on no network port', async () => {
    session = await startServer({ workspace });
    await session.connection.sendRequest('baton/listPipelines', {});
    const pid = session.child.pid ?? 0;
    const inet = inetSockets(pid);
    const open = [...socketInodesOf(pid)].filter((inode) => inet.has(inode));
    assert.deepEqual(
      open.map((inode) => inet.get(inode)),
      [],
      'TCP/UDP sockets of the server',
    );
  });

  it('with trusted: false it starts, resumes and retries nothing', async () => {
    await fs.writeFile(
      path.join(workspace, 'touch.pipeline.yaml'),
      `stages:\n  a: { run: 'touch ran-$BATON_RUN_ID; exit 1' }\n`,
    );
    const failed = await baton(workspace, ['run', 'touch.pipeline.yaml', '--yes']);
    const runId = runIdIn(failed.stdout) ?? '';
    assert.equal(failed.code, 1, describeResult(failed));
    await fs.rm(path.join(workspace, `ran-${runId}`));
    session = await startServer({ workspace, trusted: false });
    const listed = await session.connection.sendRequest<P.ListPipelinesResult>(
      'baton/listPipelines',
      {},
    );
    assert.equal(listed.pipelines.length, 1, 'reading is allowed');
    const refused: [string, object][] = [
      ['baton/startRun', { pipeline: 'touch' }],
      ['baton/resumeRun', { runId }],
      ['baton/retryStage', { runId, stage: 'a' }],
    ];
    for (const [method, params] of refused) {
      const code: number | undefined = await session.connection.sendRequest(method, params).then(
        () => undefined,
        (error: unknown) => rpcErrorCode(error),
      );
      assert.equal(code, WORKSPACE_UNTRUSTED, method);
    }
    assert.deepEqual(
      (await fs.readdir(workspace)).filter((n) => n.startsWith('ran-')),
      [],
    );
    assert.equal((await fs.readdir(path.join(workspace, '.baton', 'runs'))).length, 1);
  });
});
