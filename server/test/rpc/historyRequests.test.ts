import * as assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import type * as P from '@baton/protocol';
import { tempDir } from '../engine/helpers';
import { finishedRun, writeGeneratedRuns, writeRunFolder } from '../helpers/generatedRuns';
import { newRunId } from '../../src/store/runId';
import type { StartedServer } from './serverHarness';
import { initializeServer, paramsOf, startServer, until } from './serverHarness';

describe('baton/listRuns pages and baton/compareRuns, over a real server', function () {
  this.timeout(60000);
  let dir: string;
  let server: StartedServer;
  let ids: string[];

  before(async () => {
    dir = await tempDir('history-rpc');
    ids = await writeGeneratedRuns(path.join(dir, '.baton'), 300, ['demo', 'other']);
    server = startServer(dir);
    await initializeServer(server, dir);
  });

  after(async () => {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
    await server.exited;
    await fs.rm(dir, { recursive: true, force: true });
  });

  const listRuns = (params: P.ListRunsParams): Promise<P.ListRunsResult> =>
    server.client.sendRequest<P.ListRunsResult>('baton/listRuns', params);

  it("pages through all of a pipeline's runs, newest first, with names, numbers and durations", async () => {
    const seen: P.RunSummary[] = [];
    let cursor: string | undefined;
    do {
      const page = await listRuns({ pipeline: 'demo', limit: 50, ...(cursor ? { cursor } : {}) });
      seen.push(...page.runs);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    const demo = ids.filter((_, index) => index % 2 === 0).reverse();
    assert.deepEqual(
      seen.map((run) => run.runId),
      demo,
    );
    const newest = seen[0]!;
    assert.equal(newest.pipelineName, 'Pipeline demo');
    assert.equal(newest.number, 150);
    assert.equal(newest.status, 'succeeded');
    // Two stages of 100 + (298 % 7) ms each, one after the other, plus the 1 ms steps between.
    assert.equal(newest.ranMs, newest.endedAt! - newest.startedAt!);
    assert.ok(newest.ranMs! >= 200);
  });

  it('refuses a cursor that is not one it gave, naming the field', async () => {
    await assert.rejects(
      listRuns({ cursor: 'yesterday' }),
      (error: { code: number; data: unknown }) => {
        assert.equal(error.code, -32602);
        assert.deepEqual((error.data as { field: string }).field, 'cursor');
        return true;
      },
    );
  });

  it('warns in the server log about a damaged entry and still answers from run.json', async () => {
    const runId = ids.at(-1)!;
    await fs.writeFile(path.join(dir, '.baton', 'runs', runId, 'history.json'), '{ torn');
    const page = await listRuns({ limit: 1 });
    assert.equal(page.runs[0]?.runId, runId);
    assert.equal(page.runs[0]?.status, 'succeeded');
    await until(
      () =>
        paramsOf<{ message: string }>(server, 'window/logMessage').some((m) =>
          m.message.includes(`history entry of run ${runId} is damaged`),
        ),
      5000,
      'a warning naming the damaged entry',
    );
  });

  it('rebuilds old runs’ entries without telling the client of those runs as if they were new', async () => {
    // The 20 oldest runs lost their entries (a state dir from before entries existed).
    const old = ids.slice(0, 20);
    const entry = (runId: string): string =>
      path.join(dir, '.baton', 'runs', runId, 'history.json');
    for (const runId of old) await fs.rm(entry(runId));
    const page = await listRuns({ limit: 21, cursor: ids[20]! });
    assert.deepEqual(
      page.runs.map((run) => run.runId),
      [...old].reverse(),
    );
    await until(
      () => old.every((runId) => existsSync(entry(runId))),
      5000,
      'the rebuilt entries to be written',
    );
    // A real change of another old run's folder: the watcher tells the client of it.
    const control = ids[30]!;
    const checkpoint = path.join(dir, '.baton', 'runs', control, 'run.json');
    await fs.writeFile(checkpoint, await fs.readFile(checkpoint));
    const told = (runId: string): boolean =>
      paramsOf<P.DidChangeRunParams>(server, 'baton/didChangeRun').some(
        (change) => change.run.runId === runId,
      );
    await until(() => told(control), 10000, 'the changed old run to be told');
    assert.deepEqual(
      old.filter((runId) => told(runId)),
      [],
      'a rebuilt entry is no news',
    );
  });

  it('compares a run with the one before it: durations with the difference, inputs, outputs', async () => {
    const at = Date.UTC(2026, 6, 1);
    const slow = finishedRun(
      'timed',
      newRunId(at, () => 0.2),
      1,
      at,
      400,
    );
    const fast = finishedRun(
      'timed',
      newRunId(at + 5000, () => 0.2),
      2,
      at + 5000,
      150,
    );
    await writeRunFolder(path.join(dir, '.baton'), slow);
    await writeRunFolder(path.join(dir, '.baton'), fast);
    const { comparison } = await server.client.sendRequest<P.CompareRunsResult>(
      'baton/compareRuns',
      { runId: fast.runId },
    );
    assert.equal(comparison.run.runId, fast.runId);
    assert.equal(comparison.base?.runId, slow.runId);
    assert.deepEqual(
      comparison.stages.map((s) => [s.stage, s.base?.durationMs, s.run?.durationMs, s.deltaMs]),
      [
        ['fetch', 400, 150, -250],
        ['build', 400, 150, -250],
      ],
    );
    assert.ok(comparison.stages.every((s) => !s.changed && s.run?.upToDate === false));
    const first = await server.client.sendRequest<P.CompareRunsResult>('baton/compareRuns', {
      runId: slow.runId,
    });
    assert.equal(first.comparison.base, undefined, 'the first run has nothing before it');
  });

  it('refuses to compare runs of two pipelines, and unknown runs', async () => {
    await assert.rejects(
      server.client.sendRequest('baton/compareRuns', { runId: ids[0], baseRunId: ids[1] }),
      /only runs of one pipeline compare/,
    );
    await assert.rejects(
      server.client.sendRequest('baton/compareRuns', { runId: '20200101-000000-000-zzzz' }),
      (error: { code: number }) => error.code === -32010,
    );
  });
});
