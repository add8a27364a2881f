import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type * as P from '@baton/protocol';
import { Engine } from '../../src/engine/engine';
import { PlanMemory, RACY_WINDOW_VARIABLE } from '../../src/incremental/planMemory';
import type { RunPlan } from '../../src/incremental/runPlanner';
import { tempDir } from '../engine/helpers';
import type { StartedServer } from '../rpc/serverHarness';
import { initializeServer, paramsOf, startServer, until } from '../rpc/serverHarness';
import { baton, writeChain } from './incrementalFixture';

/**
 * The server keeps plans between `baton/planRun` requests (`PlanMemory`):
 * each test makes a record through the real server, checks, changes one
 * thing the plan depends on with real files, and checks again through the
 * same server, which must see the change. The racy window (two seconds, so
 * that a path changed again within the file system's time resolution is not
 * trusted) is off here, as the tests change files right after writing them;
 * otherwise nothing would be kept and the tests would pass without a memory.
 */
describe('plans kept by the resident server (baton/planRun)', function () {
  this.timeout(60000);
  let dir: string;
  let state: string;
  let server: StartedServer;
  let racyWindowBefore: string | undefined;

  beforeEach(async () => {
    dir = await tempDir('plan-memory');
    state = path.join(dir, '.state');
    await writeChain(dir);
    racyWindowBefore = process.env[RACY_WINDOW_VARIABLE];
    process.env[RACY_WINDOW_VARIABLE] = '0';
    server = startServer(dir);
    await initializeServer(server, dir, { initializationOptions: { stateDir: state } });
    const { runId } = await server.client.sendRequest<P.StartRunResult>('baton/startRun', {
      pipeline: 'lit',
      interactive: false,
    });
    await waitForSuccess(runId);
    assert.deepEqual(await reasons(), everythingUpToDate(runId));
    // Twice: the second answer is the kept plan.
    assert.deepEqual(await reasons(), everythingUpToDate(runId));
  });

  afterEach(async () => {
    if (racyWindowBefore === undefined) delete process.env[RACY_WINDOW_VARIABLE];
    else process.env[RACY_WINDOW_VARIABLE] = racyWindowBefore;
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
    await server.exited;
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('sees a dep edited between two checks', async () => {
    await fs.appendFile(path.join(dir, 'papers', '01.txt'), 'gamma\n');
    assert.equal((await reasons()).translate, 'run: deps changed: papers/01.txt');
  });

  it('sees a new file matching a deps glob', async () => {
    await fs.writeFile(path.join(dir, 'papers', '03.txt'), 'delta\n');
    assert.equal((await reasons()).translate, 'run: deps changed: papers/03.txt');
  });

  it('sees a recorded output removed', async () => {
    await fs.rm(path.join(dir, 'out', 'report.md'));
    assert.equal((await reasons()).report, 'run: output out/report.md missing');
  });

  it('sees the pipeline file changed', async () => {
    const file = path.join(dir, 'lit.pipeline.yaml');
    const text = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, text.replace('papers"', 'papers."'));
    assert.equal((await reasons()).report, 'run: command changed');
  });

  it('sees the record cleared by another process', async () => {
    const cleared = await baton(dir, ['--state-dir', state, 'cache', 'clear']);
    assert.equal(cleared.code, 0, cleared.stderr);
    assert.deepEqual(await reasons(), {
      translate: 'run: never ran',
      analyze:
        'run: runs after translate: skipped then if the outputs of translate come out unchanged',
      report: 'run: runs after analyze: skipped then if the outputs of analyze come out unchanged',
    });
  });

  it('sees other inputs and another selection, and keeps each plan apart', async () => {
    const other = await reasons({ inputs: { pillars: 'methods' } });
    assert.match(other.analyze ?? '', /^run: input pillars changed/);
    const selected = await reasons({ stages: ['translate'] });
    assert.equal(selected.analyze, 'unselected: not selected');
    assert.equal((await reasons()).analyze?.startsWith('skip: up to date'), true);
    assert.equal((await reasons({ inputs: { pillars: 'methods' } })).analyze, other.analyze);
  });

  /** Each stage's `action: reason` in the server's plan. */
  async function reasons(extra: Partial<P.PlanRunParams> = {}): Promise<Record<string, string>> {
    const { plan } = await server.client.sendRequest<P.PlanRunResult>('baton/planRun', {
      pipeline: 'lit',
      ...extra,
    });
    assert.deepEqual(plan.warnings, []);
    return Object.fromEntries(plan.steps.map((s) => [s.stage, `${s.action}: ${s.reason}`]));
  }

  function everythingUpToDate(runId: string): Record<string, string> {
    const skip = `skip: up to date: unchanged since run ${runId}`;
    return { translate: skip, analyze: skip, report: skip };
  }

  async function waitForSuccess(runId: string): Promise<void> {
    await until(
      () =>
        paramsOf<P.DidChangeRunParams>(server, 'baton/didChangeRun').some((change) =>
          change.events.some(
            (event) =>
              event.kind === 'runStatusChanged' &&
              event.runId === runId &&
              event.status === 'succeeded',
          ),
        ),
      30000,
      `run ${runId} to succeed`,
    );
  }
});

describe('PlanMemory', function () {
  this.timeout(30000);

  it("checks again only when something the plan looked at changed, in either thread's share", async () => {
    const dir = await tempDir('plan-memory-unit');
    try {
      const file = path.join(dir, await writeChain(dir));
      const engine = new Engine({ stateDir: path.join(dir, '.state') });
      // Every plan shared with the worker thread: the first paths here, the rest there.
      const memory = new PlanMemory(0, 0);
      let checks = 0;
      const plan = (): Promise<RunPlan> =>
        memory.plan({ file, selection: {} }, (witness) => {
          checks += 1;
          return engine.planRun({ file, witness });
        });
      // The first check makes the record's key, which the second one sees as a change.
      await plan();
      const kept = await plan();
      assert.equal(checks, 2);
      assert.deepEqual(await plan(), kept);
      assert.equal(checks, 2);
      // The last file looked at (the worker's share), then the first (this thread's).
      await fs.appendFile(path.join(dir, 'papers', '02.txt'), 'more\n');
      await plan();
      assert.equal(checks, 3);
      await plan();
      assert.equal(checks, 3);
      await fs.appendFile(file, '# a comment\n');
      await plan();
      assert.equal(checks, 4);
      memory.clear();
      await plan();
      assert.equal(checks, 5);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
