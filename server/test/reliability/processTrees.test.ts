import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { waitFor } from '../helpers/waitFor';
import { baton, describeResult, runIdIn, startBaton } from './harness/cli';
import {
  killLeftovers,
  processesWithMarker,
  survivors,
  writeTreePipeline,
} from './harness/treePipeline';
import type { TreeOptions, TreePipeline } from './harness/treePipeline';

describe('reliability: process trees end with their stage', function () {
  this.timeout(60_000);
  let dir = '';
  let tree: TreePipeline | undefined;
  let runId: string | undefined;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'baton-trees-'));
    runId = undefined;
  });
  afterEach(async () => {
    if (tree) killLeftovers(runId, tree.marker);
    await fs.rm(dir, { recursive: true, force: true });
  });

  /** Starts the tree pipeline and waits until every sleeper runs; returns the CLI process. */
  async function startTrees(options: TreeOptions = {}): Promise<ReturnType<typeof startBaton>> {
    tree = await writeTreePipeline(dir, options);
    const owner = startBaton(dir, ['run', tree.file, '--yes']);
    const marker = tree.marker;
    const expected = tree.sleepers;
    await waitFor('every sleeper to run', () => processesWithMarker(marker).length >= expected, {
      timeoutMs: 15_000,
    });
    runId = runIdIn(owner.output());
    assert.ok(runId, owner.output());
    return owner;
  }

  it('baton stop ends every process: grandchildren, SIGTERM ignorers, closed stdout, setsid and env -i escapees', async () => {
    const owner = await startTrees({ scrubbed: true });
    const stopped = await baton(dir, ['stop', runId ?? '']);
    assert.equal(stopped.code, 0, describeResult(stopped));
    const ended = await owner.done;
    assert.equal(ended.code, 1, describeResult(ended));
    assert.deepEqual(survivors(runId ?? '', tree?.marker ?? ''), []);
  });

  it('a stage timeout ends the whole tree of each stage', async () => {
    const owner = await startTrees({ extra: '    timeout: 2s\n', scrubbed: true });
    const ended = await owner.done;
    assert.equal(ended.code, 1, describeResult(ended));
    assert.match(ended.stdout, /timed out|timeout/i);
    assert.deepEqual(survivors(runId ?? '', tree?.marker ?? ''), []);
  });

  it('after kill -9 of the engine, the next baton command on the run ends what the stages left', async () => {
    const owner = await startTrees();
    owner.child.kill('SIGKILL');
    await owner.done;
    // The engine has no parent-death watchdog: stages that print nothing outlive it
    // until the next command looks at the run (docs/reliability.md, known limits).
    // An escapee that also empties its environment is not found even then: the
    // chaos suite keeps that failing case (chaos/orphans.test.ts).
    const shown = await baton(dir, ['status', runId ?? '']);
    assert.equal(shown.code, 0, describeResult(shown));
    assert.match(shown.stdout, /interrupted/);
    assert.deepEqual(survivors(runId ?? '', tree?.marker ?? ''), []);
  });
});
