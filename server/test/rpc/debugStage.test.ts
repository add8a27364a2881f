import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as P from '@baton/protocol';
import { attachToDebugpy } from './dapAttach';
import {
  initializeServer,
  paramsOf,
  startServer,
  until,
  type StartedServer,
} from './serverHarness';

const CDP_CLIENT = path.join(__dirname, 'fixtures', 'cdpClient.js');

/** Attaches the CDP client to a Node target with a breakpoint at `file`:`line`, lets it run to its end; what the client said. */
async function debugWithCdp(target: P.DebugEndpoint, file: string, line: number): Promise<string> {
  const args = [
    '--experimental-websocket',
    '--no-warnings',
    CDP_CLIENT,
    target.url ?? '',
    file,
    String(line),
  ];
  const cdp = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let said = '';
  cdp.stdout.on('data', (chunk: Buffer) => (said += chunk.toString()));
  cdp.stderr.on('data', (chunk: Buffer) => (said += chunk.toString()));
  const exit = await new Promise<number | null>((resolve) => cdp.on('exit', resolve));
  assert.equal(exit, 0, said);
  return said;
}

/**
 * `greet` fails until the file `ok` exists; its line 9 is where the test's
 * breakpoint goes. Then it asks a question (a Baton prompt, answered on stdin).
 */
const GREET_JS = `const fs = require('node:fs');
const path = require('node:path');
const greeting = process.argv[2];
const marker = path.join(process.env.BATON_STATE, 'tried');
const triedBefore = fs.existsSync(marker);
fs.writeFileSync(marker, 'yes');
if (!fs.existsSync('ok')) { console.error('no ok file yet'); process.exit(1); }
const line =
  greeting + ' tried-before=' + triedBefore;
console.log('::prompt id=name,type=text::Who is asking?');
require('node:readline')
  .createInterface({ input: process.stdin })
  .once('line', (name) => {
    fs.writeFileSync('result.txt', line + ' name=' + name);
    process.exit(0);
  });
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
  pyplain:
    run: python3 -c "print(1)"
  build:
    deps: [greet.js]
    run: node -e "require('fs').writeFileSync('built.txt', 'built')"
`;

const PYTHON_PIPELINE = `name: Debuggable Python
stages:
  py:
    venv: .venv
    run: python3 hello.py
  pyok:
    run: /usr/bin/python3 hello.py
`;

/** Whether Debian's Python can import debugpy (the package python3-debugpy). */
const DEBUGPY = spawnSync('/usr/bin/python3', ['-c', 'import debugpy']).status === 0;

describe('baton server: debugging a stage (retryStage/startRun with debug)', function () {
  this.timeout(60000);
  let workspace = '';
  let server: StartedServer | undefined;

  beforeEach(async () => {
    workspace = mkdtempSync(path.join(os.tmpdir(), 'baton-debug-stage-'));
    writeFileSync(path.join(workspace, 'debug.pipeline.yaml'), PIPELINE);
    writeFileSync(path.join(workspace, 'greet.js'), GREET_JS);
    writeFileSync(path.join(workspace, 'python.pipeline.yaml'), PYTHON_PIPELINE);
    writeFileSync(
      path.join(workspace, 'hello.py'),
      'import sys\nopen("hello.out", "w").write(" ".join(sys.argv))\n',
    );
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
      stage: 'pyplain',
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

    const debugged = debugWithCdp(target, 'greet.js', 9);
    // Prompts work while the debugger is attached: asked, answered, read on stdin.
    await until(
      () =>
        paramsOf<P.DidOpenPromptParams>(server as StartedServer, 'baton/didOpenPrompt').some(
          (p) => p.runId === runId && p.promptId === 'greet/name',
        ),
      30000,
      'the stage to ask its question',
    );
    await request(P.AnswerPromptMethod, { runId, promptId: 'greet/name', value: 'ana' });
    assert.match(await debugged, /^paused 9$/m);
    assert.equal(await ended(runId, seqBefore), 'succeeded');
    // The run's needs' outputs and the stage's $BATON_STATE from its first attempt.
    assert.equal(
      readFileSync(path.join(workspace, 'result.txt'), 'utf8'),
      'hello tried-before=true name=ana',
    );
    const log = await request<P.GetLogResult>(P.GetLogMethod, {
      runId,
      stage: 'greet',
      attempt: 2,
    });
    assert.match(log.text, /Debugger listening on ws:\/\/127\.0\.0\.1/);
  });

  it('says what is missing when the stage is Python and debugpy is not importable', async function () {
    // A venv without debugpy: the stage's Python is the venv's, whatever the machine has.
    const made = spawnSync('/usr/bin/python3', ['-m', 'venv', '--without-pip', '.venv'], {
      cwd: workspace,
    });
    if (made.status !== 0) this.skip();
    const { runId } = await request<P.StartRunResult>(P.StartRunMethod, {
      pipeline: 'python',
      interactive: false,
      debug: { stage: 'py', attach: ['node', 'python'] },
    });
    const told = await targetOf(runId, 'py');
    assert.equal(told.target.kind, 'unavailable');
    assert.equal(told.attempt, 1);
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

  it('starts a Python stage under debugpy, which runs the script once a client attached', async function () {
    if (!DEBUGPY) this.skip();
    const { runId } = await request<P.StartRunResult>(P.StartRunMethod, {
      pipeline: 'python',
      interactive: false,
      debug: { stage: 'pyok', attach: ['python'] },
    });
    const told = await targetOf(runId, 'pyok');
    assert.equal(told.target.kind, 'listening');
    const target = told.target as P.DebugEndpoint;
    assert.equal(target.host, '127.0.0.1');
    assert.equal(runStatus(runId), 'running');
    const socket = await attachToDebugpy(target.port);
    try {
      assert.equal(await ended(runId), 'succeeded');
    } finally {
      socket.destroy();
    }
    assert.equal(readFileSync(path.join(workspace, 'hello.out'), 'utf8'), 'hello.py');
  });

  it('does not record a debugged success for skipping; a normal success is recorded', async () => {
    const plannedAction = async (): Promise<string | undefined> => {
      const { plan } = await request<P.PlanRunResult>(P.PlanRunMethod, {
        pipeline: 'debug',
        stages: ['build'],
      });
      return plan.steps.find((step) => step.stage === 'build')?.action;
    };
    const debugged = await request<P.StartRunResult>(P.StartRunMethod, {
      pipeline: 'debug',
      interactive: false,
      debug: { stage: 'build', attach: ['node'] },
    });
    const told = await targetOf(debugged.runId, 'build');
    await debugWithCdp(told.target as P.DebugEndpoint, 'nothing.js', 1);
    assert.equal(await ended(debugged.runId), 'succeeded');
    assert.equal(readFileSync(path.join(workspace, 'built.txt'), 'utf8'), 'built');
    assert.equal(await plannedAction(), 'run', 'the debugged success is no reason to skip');
    await until(
      () => !existsSync(path.join(workspace, '.baton', 'locks', 'debug.lock')),
      10000,
      'the lock to go',
    );
    const normal = await request<P.StartRunResult>(P.StartRunMethod, {
      pipeline: 'debug',
      interactive: false,
      stages: ['build'],
    });
    assert.equal(await ended(normal.runId), 'succeeded');
    assert.equal(await plannedAction(), 'skip');
  });
});
