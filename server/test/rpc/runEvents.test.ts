import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LoggedEvent } from '@baton/core';
import type * as P from '@baton/protocol';
import { within } from './processHarness';
import {
  BATON_BIN,
  initializeServer,
  paramsOf,
  startServer,
  until,
  type StartedServer,
} from './serverHarness';

/** Stage `a` waits for a file; `b` then runs at once: its whole life fits between two looks. */
const GATED = `name: Gated
stages:
  a:
    run: touch a-running; while [ ! -e go ]; do sleep 0.02; done
  b:
    needs: [a]
    run: "true"
`;

const FAILING = `name: Failing
stages:
  a:
    run: test -e fixed
`;

/** The run's logged events, from its events.jsonl. */
function loggedEvents(workspace: string, runId: string): LoggedEvent[] {
  const file = path.join(workspace, '.baton', 'runs', runId, 'events.jsonl');
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as LoggedEvent);
}

describe('wire events come from run events', function () {
  this.timeout(30000);
  let workspace = '';
  let server: StartedServer | undefined;
  beforeEach(() => {
    workspace = mkdtempSync(path.join(os.tmpdir(), 'baton-run-events-'));
  });
  afterEach(() => {
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
    rmSync(workspace, { recursive: true, force: true });
  });

  it('shows every status of a run of another process, in order, at its events’ times', async () => {
    writeFileSync(path.join(workspace, 'gated.pipeline.yaml'), GATED);
    server = startServer(workspace);
    await initializeServer(server, workspace);
    await server.client.sendRequest('baton/listRuns', {});
    const cli = spawn(process.execPath, [BATON_BIN, 'run', 'gated.pipeline.yaml', '--yes'], {
      cwd: workspace,
      stdio: 'ignore',
    });
    const cliExited = new Promise<number | null>((resolve) => cli.on('exit', resolve));
    try {
      const running = (): boolean =>
        paramsOf<P.DidChangeRunParams>(server!, 'baton/didChangeRun').some((change) =>
          change.events.some((e) => e.kind === 'stageStatusChanged' && e.status === 'running'),
        );
      await until(running, 20000, 'the server to see stage a running');
      writeFileSync(path.join(workspace, 'go'), '');
      assert.equal(await within(cliExited, 20000, 'the CLI run to end'), 0);
      const changes = (): P.DidChangeRunParams[] =>
        paramsOf<P.DidChangeRunParams>(server!, 'baton/didChangeRun');
      await until(
        () => changes().some((change) => change.run.status === 'succeeded'),
        10000,
        'the server to see the run succeed',
      );
      const runId = changes()[0]?.run.runId ?? '';
      const { events } = await server.client.sendRequest<P.GetEventsResult>('baton/getEvents', {
        afterSeq: 0,
        runId,
      });
      const statuses = events.flatMap((e) =>
        e.kind === 'stageStatusChanged'
          ? [[e.stage, e.status, e.time]]
          : e.kind === 'runStatusChanged'
            ? [['run', e.status, e.time]]
            : [],
      );
      const at = (type: string, stage?: string): number | undefined =>
        loggedEvents(workspace, runId).find(
          (e) => e.type === type && (stage === undefined || ('stage' in e && e.stage === stage)),
        )?.at;
      assert.deepEqual(statuses, [
        ['a', 'running', at('runStarted')],
        ['run', 'running', at('runStarted')],
        ['a', 'succeeded', at('stageExited', 'a')],
        ['b', 'running', at('stageExited', 'a')],
        ['b', 'succeeded', at('stageExited', 'b')],
        ['run', 'succeeded', at('stageExited', 'b')],
      ]);
      assert.deepEqual(
        changes().flatMap((change) => change.events),
        events,
        'didChangeRun carried the same events getEvents returns',
      );
    } finally {
      if (cli.exitCode === null) cli.kill('SIGKILL');
    }
  });

  it('sends runResumed when a run is resumed, and never two didChangeRun with one seq', async () => {
    writeFileSync(path.join(workspace, 'failing.pipeline.yaml'), FAILING);
    server = startServer(workspace);
    await initializeServer(server, workspace);
    const { runId } = await server.client.sendRequest<P.StartRunResult>('baton/startRun', {
      pipeline: 'failing',
    });
    const changes = (): P.DidChangeRunParams[] =>
      paramsOf<P.DidChangeRunParams>(server!, 'baton/didChangeRun');
    const hasStatus = (status: P.RunStatus) => (): boolean =>
      changes().filter((change) => change.run.status === status).length > 0;
    await until(hasStatus('failed'), 15000, 'the run to fail');
    writeFileSync(path.join(workspace, 'fixed'), '');
    await server.client.sendRequest('baton/resumeRun', { runId });
    await until(hasStatus('succeeded'), 15000, 'the resumed run to succeed');
    const resumed = changes()
      .flatMap((change) => change.events)
      .filter((e) => e.kind === 'runResumed');
    assert.equal(resumed.length, 1);
    const [event] = resumed;
    assert.ok(event?.kind === 'runResumed');
    assert.deepEqual(event.plan.steps, [
      { stage: 'a', action: 'rerun', reason: 'failed in attempt 1: exited with code 1' },
    ]);
    assert.equal(event.local, true);
    assert.equal(
      event.time,
      loggedEvents(workspace, runId).find((e) => e.type === 'runResumed')?.at,
    );
    const seqs = changes().map((change) => change.seq);
    assert.deepEqual(seqs, [...new Set(seqs)], 'each didChangeRun has its own seq');
    for (const change of changes()) assert.equal(change.seq, change.events.at(-1)?.seq);
    assert.ok(existsSync(path.join(workspace, '.baton', 'runs', runId)));
    assert.ok(readdirSync(path.join(workspace, '.baton', 'runs', runId, 'logs')).length >= 2);
  });
});
