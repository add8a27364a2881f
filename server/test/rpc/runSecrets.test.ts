import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as P from '@baton/protocol';
import { readTree } from '../engine/helpers';
import {
  initializeServer,
  paramsOf,
  startServer,
  until,
  type StartedServer,
} from './serverHarness';

/** The value a client gives; built in two parts so this file's own text is no match in a dump. */
const TOKEN = ['tok', '5ecret-given-7q'].join('-');

/**
 * Uses the given secret every way a stage can leak it: printed, as an output,
 * exported to the next stage, in the summary and in an annotation. `seen.txt`
 * (outside the state dir) proves the stage really had it. DB_PASS comes from
 * the pipeline's .env file. `gate` fails until the file `ok` exists, so the
 * run can be resumed.
 */
const PIPELINE = `name: Deploy
secrets: [API_TOKEN, DB_PASS]
stages:
  use:
    run: |
      printf %s "$API_TOKEN" > seen.txt
      echo "the token is $API_TOKEN"
      echo "token=$API_TOKEN" >> "$BATON_OUTPUT"
      echo "PASSED_ON=$API_TOKEN" >> "$GITHUB_ENV"
      echo "summary $API_TOKEN" >> "$GITHUB_STEP_SUMMARY"
      echo "::warning::careful with $API_TOKEN"
  gate:
    needs: [use]
    run: |
      test -f ok || exit 1
      printf %s "$API_TOKEN/$PASSED_ON/$DB_PASS" > seen-again.txt
`;

describe('baton server: secrets given with startRun and resumeRun', function () {
  this.timeout(40000);
  let workspace = '';
  let server: StartedServer | undefined;

  beforeEach(async () => {
    workspace = mkdtempSync(path.join(os.tmpdir(), 'baton-run-secrets-'));
    writeFileSync(path.join(workspace, 'deploy.pipeline.yaml'), PIPELINE);
    writeFileSync(path.join(workspace, '.env'), 'DB_PASS=db-pass-from-file\n');
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

  async function settled(runId: string): Promise<string | undefined> {
    await until(
      () => ['succeeded', 'failed'].includes(runStatus(runId) ?? ''),
      20000,
      () => `run ${runId} to end (it is ${runStatus(runId)})`,
    );
    return runStatus(runId);
  }

  /** Every file under the state dir and everything the client received: none shows the token. */
  async function assertNeverWritten(): Promise<void> {
    const files = await readTree(path.join(workspace, '.baton'));
    assert.ok(files.length > 3, 'the state dir has the run files');
    for (const { file, text } of files) {
      assert.ok(!text.includes(TOKEN), `${file} shows the secret`);
    }
    assert.ok(!JSON.stringify(server?.notifications).includes(TOKEN), 'a notification shows it');
  }

  it('names the missing secrets and starts nothing when secretsRequired', async () => {
    await assert.rejects(
      request('baton/startRun', { pipeline: 'deploy', secretsRequired: true }),
      (error: { code: number; message: string; data: P.SecretsMissingData }) => {
        assert.equal(error.code, -32022);
        // DB_PASS is in the .env file, so only API_TOKEN is missing.
        assert.deepEqual(error.data, { missing: ['API_TOKEN'] });
        assert.match(error.message, /API_TOKEN/);
        return true;
      },
    );
    const { runs } = await request<P.ListRunsResult>('baton/listRuns', {});
    assert.deepEqual(runs, []);
    // Without secretsRequired, a run starts as `baton run` would, without the variable.
    const { runId } = await request<P.StartRunResult>('baton/startRun', { pipeline: 'deploy' });
    assert.equal(await settled(runId), 'failed');
    assert.equal(readFileSync(path.join(workspace, 'seen.txt'), 'utf8'), '');
  });

  it('refuses a secret the pipeline does not declare, without quoting its value', async () => {
    await assert.rejects(
      request('baton/startRun', { pipeline: 'deploy', secrets: { PATH: TOKEN } }),
      (error: { code: number; message: string }) =>
        error.code === -32602 && /PATH/.test(error.message) && !error.message.includes(TOKEN),
    );
    assert.equal(existsSync(path.join(workspace, 'seen.txt')), false);
  });

  it('gives the stages the secret for the run only, masked, and written to no file', async () => {
    // A verbose trace shows request params, and ends up in the client's log files.
    const traces: string[] = [];
    server?.client.onNotification('$/logTrace', (params: { verbose?: string }) =>
      traces.push(params.verbose ?? ''),
    );
    await server?.client.sendNotification('$/setTrace', { value: 'verbose' });
    const { runId } = await request<P.StartRunResult>('baton/startRun', {
      pipeline: 'deploy',
      secrets: { API_TOKEN: TOKEN },
      secretsRequired: true,
    });
    assert.equal(await settled(runId), 'failed', 'gate fails until ok exists');
    const startTrace = traces.find((trace) => trace.includes('"pipeline":"deploy"'));
    assert.match(startTrace ?? '', /"secrets":\{"API_TOKEN":"\*\*\*"\}/);
    assert.ok(!traces.join('\n').includes(TOKEN), 'a trace shows the secret');
    assert.equal(readFileSync(path.join(workspace, 'seen.txt'), 'utf8'), TOKEN);
    const run = await request<P.GetRunResult>('baton/getRun', { runId });
    const use = run.stages.find((stage) => stage.id === 'use');
    assert.deepEqual(use?.outputs, { token: '***' });
    const log = await request<P.GetLogResult>('baton/getLog', { runId, stage: 'use' });
    assert.match(log.text, /the token is \*\*\*/);
    await assertNeverWritten();

    // A resume must be given the secret again: the server kept it nowhere.
    writeFileSync(path.join(workspace, 'ok'), '');
    await assert.rejects(
      request('baton/resumeRun', { runId, secretsRequired: true }),
      (error: { code: number; data: P.SecretsMissingData }) =>
        error.code === -32022 && error.data.missing.join() === 'API_TOKEN',
    );
    await request<P.ResumeRunResult>('baton/resumeRun', {
      runId,
      secrets: { API_TOKEN: TOKEN },
      secretsRequired: true,
    });
    await until(
      () => runStatus(runId) === 'succeeded',
      20000,
      () => `resumed run: ${runStatus(runId)}`,
    );
    // The exported variable comes back from the event log masked, so a secret one re-runs its stage.
    assert.equal(
      readFileSync(path.join(workspace, 'seen-again.txt'), 'utf8'),
      `${TOKEN}/${TOKEN}/db-pass-from-file`,
    );
    await assertNeverWritten();
  });
});
