import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as P from '@baton/protocol';
import { RUN_LOG_STAGE } from '@baton/protocol';
import { readTree } from '../engine/helpers';
import {
  initializeServer,
  paramsOf,
  startServer,
  until,
  type StartedServer,
} from './serverHarness';

/** The secret answer; built in two parts so this file's own text is no match in a dump. */
const TOKEN = ['tok', 'run-log-secret-9z'].join('-');

const PIPELINE = `name: Release
inputs:
  who: { prompt: Who releases? }
  version: { prompt: Which version? }
  token: { prompt: Deploy token?, secret: true }
stages:
  ship:
    run: echo "shipping \${{ inputs.version }} for \${{ inputs.who }} with \${{ inputs.token }}"
`;

describe("baton server: the run's own log", function () {
  this.timeout(40000);
  let workspace = '';
  let server: StartedServer | undefined;

  beforeEach(async () => {
    workspace = mkdtempSync(path.join(os.tmpdir(), 'baton-run-log-'));
    writeFileSync(path.join(workspace, 'release.pipeline.yaml'), PIPELINE);
    server = startServer(workspace);
    await initializeServer(server, workspace);
  });
  afterEach(() => {
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
    rmSync(workspace, { recursive: true, force: true });
  });

  const request = <T>(method: string, params: object): Promise<T> =>
    (server as StartedServer).client.sendRequest<T>(method, params);

  const openPrompts = (runId: string): string[] => {
    const opened = paramsOf<P.DidOpenPromptParams>(server as StartedServer, 'baton/didOpenPrompt');
    const closed = paramsOf<P.DidClosePromptParams>(
      server as StartedServer,
      'baton/didClosePrompt',
    );
    return opened
      .filter((p) => p.runId === runId && !closed.some((c) => c.promptId === p.promptId))
      .map((p) => p.promptId);
  };

  /** The live log text of the run, in the order it came: `[stage] ` before each message. */
  const liveLog = (runId: string): P.DidAppendLogParams[] =>
    paramsOf<P.DidAppendLogParams>(server as StartedServer, 'baton/didAppendLog').filter(
      (n) => n.runId === runId,
    );

  it('notes every input answer (given at start, answered later, secret) in run.log, live and by getLog, masked', async () => {
    const { runId } = await request<P.StartRunResult>('baton/startRun', {
      pipeline: 'release',
      inputs: { who: 'Ada' },
    });
    await until(() => openPrompts(runId).includes('inputs.version'), 10000, 'version asked');
    await request('baton/answerPrompt', { runId, promptId: 'inputs.version', value: 'v1.2' });
    await until(() => openPrompts(runId).includes('inputs.token'), 10000, 'token asked');
    await request('baton/answerPrompt', { runId, promptId: 'inputs.token', value: TOKEN });
    await until(
      () =>
        paramsOf<P.DidChangeRunParams>(server as StartedServer, 'baton/didChangeRun').some(
          (n) => n.run.runId === runId && n.run.status === 'succeeded',
        ),
      20000,
      'the run to succeed',
    );

    const expected = [
      '[baton] input `who`: `Ada`, given when the run was started in the editor',
      '[baton] input `version`: answered `v1.2` in the editor',
      '[baton] input `token`: answered a secret answer in the editor',
      '',
    ].join('\n');
    const file = path.join(workspace, '.baton', 'runs', runId, 'run.log');
    assert.equal(readFileSync(file, 'utf8'), expected);

    // Live: the run's notes arrive as the run log's own stage, before the output they led to.
    await until(
      () => liveLog(runId).some((n) => n.stage === 'ship' && n.text.includes('shipping')),
      10000,
      'the stage output to arrive',
    );
    const live = liveLog(runId);
    const runNotes = live.filter((n) => n.stage === RUN_LOG_STAGE);
    assert.equal(runNotes.map((n) => n.text).join(''), expected);
    assert.ok(runNotes.every((n) => n.attempt === 1));
    const lastNote = live.lastIndexOf(runNotes.at(-1) as P.DidAppendLogParams);
    const firstShip = live.findIndex((n) => n.stage === 'ship');
    assert.ok(lastNote < firstShip, 'the answers come before the output that used them');
    assert.match(
      live.find((n) => n.stage === 'ship')?.text ?? '',
      /shipping v1\.2 for Ada with \*\*\*/,
    );

    // Read back, whole or from an offset, as a stage log is.
    const whole = await request<P.GetLogResult>('baton/getLog', { runId, stage: RUN_LOG_STAGE });
    assert.deepEqual(
      { attempt: whole.attempt, text: whole.text, size: whole.size },
      { attempt: 1, text: expected, size: Buffer.byteLength(expected) },
    );
    const tail = await request<P.GetLogResult>('baton/getLog', {
      runId,
      stage: RUN_LOG_STAGE,
      offset: -20,
    });
    assert.equal(tail.text, expected.slice(-20));

    // The secret answer is in no file of the state directory and in nothing the client got.
    const files = await readTree(path.join(workspace, '.baton'));
    assert.ok(files.some((f) => f.file.endsWith('run.log')));
    for (const { file: name, text } of files) {
      assert.ok(!text.includes(TOKEN), `${name} shows the secret`);
    }
    assert.ok(!JSON.stringify(server?.notifications).includes(TOKEN), 'a notification shows it');
  });

  it('notes a secret input given at start without its value, and refuses an unknown run', async () => {
    const { runId } = await request<P.StartRunResult>('baton/startRun', {
      pipeline: 'release',
      interactive: false,
      inputs: { who: 'Bo', version: 'v2', token: TOKEN },
    });
    // The log is closed (so written whole) once the run let go of it.
    await until(
      () =>
        paramsOf<P.DidChangeRunParams>(server as StartedServer, 'baton/didChangeRun').some(
          (n) => n.run.runId === runId && n.run.status === 'succeeded',
        ),
      20000,
      'the run to succeed',
    );
    const slice = await request<P.GetLogResult>('baton/getLog', { runId, stage: RUN_LOG_STAGE });
    assert.match(slice.text, /input `token`: a secret value, given when the run was started/);
    assert.ok(!slice.text.includes(TOKEN));
    await assert.rejects(
      request('baton/getLog', { runId: '20200101-000000-000-zzzz', stage: RUN_LOG_STAGE }),
      (error: { code: number }) => error.code === -32010,
    );
  });
});
