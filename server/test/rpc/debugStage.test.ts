import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as P from '@baton/protocol';
import {
  initializeServer,
  paramsOf,
  startServer,
  until,
  type StartedServer,
} from './serverHarness';

const CDP_CLIENT = path.join(__dirname, 'fixtures', 'cdpClient.js');

/** `greet` fails until the file `ok` exists; its line 9 is where the test's breakpoint goes. */
const GREET_JS = `const fs = require('node:fs');
const path = require('node:path');
const greeting = process.argv[2];
const marker = path.join(process.env.BATON_STATE, 'tried');
const triedBefore = fs.existsSync(marker);
fs.writeFileSync(marker, 'yes');
if (!fs.existsSync('ok')) { console.error('no ok file yet'); process.exit(1); }
const line =
  greeting + ' tried-before=' + triedBefore;
fs.writeFileSync('result.txt', line);
`;

const PIPELINE = `name: Debuggable
stages:
  prepare:
    run: echo "greeting=hello" >> "$BATON_OUTPUT"
  greet:
    needs: [prepare]
    run: node greet.js "\${{ stages.prepare.outputs.greeting }}"
  shell:
    run: echo plain shell
  py:
    run: python3 -c "print(1)"
`;

describe('baton server: debugging a stage (retryStage/startRun with debug)', function () {
  this.timeout(60000);
  let workspace = '';
  let server: StartedServer | undefined;

  beforeEach(async () => {
    workspace = mkdtempSync(path.join(os.tmpdir(), 'baton-debug-stage-'));
    writeFileSync(path.join(workspace, 'debug.pipeline.yaml'), PIPELINE);
    writeFileSync(path.join(workspace, 'greet.js'), GREET_JS);
    server = startServer(workspace);
    await initializeServer(server, workspace);
  });
  afterEach(() => {
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
    rmSync(workspace, { recursive: true, force: true });
  });

  const request = <T>(method: string, params: object): Promise<T> =>
    (server as StartedServer).client.sendRequest<T>(method, params);

  const runStatus = (runId: string): string | undefined =>
    paramsOf<P.DidChangeRunParams>(server as StartedServer, 'baton/didChangeRun')
      .filter((n) => n.run.runId === runId)
      .at(-1)?.run.status;

  async function ended(runId: string, after = 0): Promise<string | undefined> {
    await until(
      () =>
        paramsOf<P.DidChangeRunParams>(server as StartedServer, 'baton/didChangeRun').some(
          (n) =>
            n.run.runId === runId &&
            n.seq > after &&
            ['succeeded', 'failed'].includes(n.run.status),
        ),
      30000,
      () => `run ${runId} to end (it is ${runStatus(runId)})`,
    );
    return runStatus(runId);
  }

  async function targetOf(runId: string, stage: string): Promise<P.DidOpenDebugTargetParams> {
    const find = (): P.DidOpenDebugTargetParams | undefined =>
      paramsOf<P.DidOpenDebugTargetParams>(
        server as StartedServer,
        P.DidOpenDebugTargetMethod,
      ).find((n) => n.runId === runId && n.stage === stage);
    await until(() => find() !== undefined, 30000, `the debug target of ${stage}`);
    return find() as P.DidOpenDebugTargetParams;
  }

  async function refusal(
    method: string,
    params: object,
  ): Promise<{ code: number; message: string; data: unknown }> {
    try {
      await request(method, params);
    } catch (error) {
      return error as { code: number; message: string; data: unknown };
    }
    assert.fail(`${method} was not refused`);
  }

  it('runs the stage with the inspector waiting, tells the client where, and finishes once a CDP client attached and continued', async () => {
    const { runId } = await request<P.StartRunResult>(P.StartRunMethod, {
      pipeline: 'debug',
      interactive: false,
    });
    assert.equal(await ended(runId), 'failed');
    const seqBefore =
      paramsOf<P.DidChangeRunParams>(server as StartedServer, 'baton/didChangeRun').at(-1)?.seq ??
      0;

    const shell = await refusal(P.RetryStageMethod, {
      runId,
      stage: 'shell',
      debug: { attach: ['node', 'python'] },
    });
    assert.equal(shell.code, P.ErrorCodes.StageNotDebuggable);
    assert.match(shell.message, /only Node and Python stages can/);
    assert.deepEqual(shell.data, { runtime: null, program: 'echo' });
    const py = await refusal(P.RetryStageMethod, {
      runId,
      stage: 'py',
      debug: { attach: ['node'] },
    });
    assert.equal(py.code, P.ErrorCodes.StageNotDebuggable);
    assert.deepEqual(py.data, { runtime: 'python', program: 'python3' });

    writeFileSync(path.join(workspace, 'ok'), '');
    await request<P.RetryStageResult>(P.RetryStageMethod, {
      runId,
      stage: 'greet',
      debug: { attach: ['node'] },
    });
    const told = await targetOf(runId, 'greet');
    assert.equal(told.target.kind, 'listening');
    const target = told.target as P.DebugEndpoint;
    assert.equal(target.runtime, 'node');
    assert.equal(target.host, '127.0.0.1');
    assert.match(target.url ?? '', new RegExp(`^ws://127\\.0\\.0\\.1:${target.port}/`));
    assert.equal(told.attempt, 2);
    // The stage waits for the debugger: it has not got past its first line.
    assert.equal(runStatus(runId), 'running');

    const cdp = spawn(
      process.execPath,
      ['--experimental-websocket', '--no-warnings', CDP_CLIENT, target.url ?? '', 'greet.js', '9'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let said = '';
    cdp.stdout.on('data', (chunk: Buffer) => (said += chunk.toString()));
    cdp.stderr.on('data', (chunk: Buffer) => (said += chunk.toString()));
    const cdpExit = await new Promise<number | null>((resolve) => cdp.on('exit', resolve));
    assert.equal(cdpExit, 0, said);
    assert.match(said, /^paused 9$/m);
    assert.equal(await ended(runId, seqBefore), 'succeeded');
    // The run's needs' outputs and the stage's $BATON_STATE from its first attempt.
    assert.equal(
      readFileSync(path.join(workspace, 'result.txt'), 'utf8'),
      'hello tried-before=true',
    );
    const log = await request<P.GetLogResult>(P.GetLogMethod, {
      runId,
      stage: 'greet',
      attempt: 2,
    });
    assert.match(log.text, /Debugger listening on ws:\/\/127\.0\.0\.1/);
  });

  it('says what is missing when the stage is Python and debugpy is not importable', async function () {
    if (spawnSync('python3', ['-c', 'import debugpy']).status === 0) this.skip();
    const { runId } = await request<P.StartRunResult>(P.StartRunMethod, {
      pipeline: 'debug',
      interactive: false,
      debug: { stage: 'py', attach: ['node', 'python'] },
    });
    const told = await targetOf(runId, 'py');
    assert.equal(told.target.kind, 'unavailable');
    assert.match(
      (told.target as P.DebugUnavailable).reason,
      /debugpy is not importable by .*python.*; install it with: .* -m pip install debugpy/,
    );
    assert.equal(await ended(runId), 'failed');
    const unknown = await refusal(P.StartRunMethod, {
      pipeline: 'debug',
      debug: { stage: 'nope', attach: ['node'] },
    });
    assert.equal(unknown.code, P.ErrorCodes.StageNotFound);
  });
});
