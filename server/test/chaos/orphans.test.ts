import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { waitFor } from '../helpers/waitFor';
import { baton, describeResult, runIdIn, startBaton } from '../reliability/harness/cli';
import {
  killLeftovers,
  processesWithMarker,
  survivors,
  writeTreePipeline,
} from '../reliability/harness/treePipeline';
import type { TreeOptions, TreePipeline } from '../reliability/harness/treePipeline';
import { describeChaos } from './chaosReport';

/**
 * What stage processes do when the engine itself dies (kill -9): they die
 * with it, an escapee with an emptied environment included
 * (docs/reliability.md, fixed bugs 1 and 2).
 */
describeChaos('chaos: stage processes after kill -9 of the engine', function () {
  this.timeout(60_000);
  let dir = '';
  let tree: TreePipeline | undefined;
  let runId: string | undefined;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'baton-orphans-'));
    runId = undefined;
  });
  afterEach(async () => {
    if (tree) killLeftovers(runId, tree.marker);
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function startAndKill(options: TreeOptions): Promise<void> {
    tree = await writeTreePipeline(dir, options);
    const owner = startBaton(dir, ['run', tree.file, '--yes']);
    const { marker, sleepers } = tree;
    await waitFor('every sleeper to run', () => processesWithMarker(marker).length >= sleepers, {
      timeoutMs: 15_000,
    });
    runId = runIdIn(owner.output());
    owner.child.kill('SIGKILL');
    await owner.done;
  }

  it('stages do not outlive a killed engine for long, even when nobody runs baton again', async () => {
    await startAndKill({});
    const marker = tree?.marker ?? '';
    await waitFor(
      'the stages of the killed engine to end',
      () => survivors(runId ?? '', marker).length === 0,
      {
        timeoutMs: 20_000,
      },
    );
  });

  it('the next command on the run also ends an escapee that emptied its environment', async () => {
    await startAndKill({ scrubbed: true });
    const shown = await baton(dir, ['status', runId ?? '']);
    assert.equal(shown.code, 0, describeResult(shown));
    assert.deepEqual(survivors(runId ?? '', tree?.marker ?? ''), []);
  });
});
