import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { waitFor } from '../helpers/waitFor';
import { baton, describeResult, runIdIn, startBaton } from '../reliability/harness/cli';
import { describeChaos } from './chaosReport';

const ROUNDS = 10;

/**
 * `kill -9` of `baton run` the moment its first stage starts. This used to
 * leave a run `queued` on disk whose stage had run, which `baton resume`
 * refused (docs/reliability.md, fixed bug 7): stage starts are now
 * write-ahead, and a queued run whose owner is dead is started by resume.
 */
describeChaos('chaos: kill -9 as the first stage starts', function () {
  this.timeout(120_000);
  let workspace = '';

  beforeEach(async () => {
    workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'baton-early-'));
  });
  afterEach(async () => {
    await fs.rm(workspace, { recursive: true, force: true });
  });

  it(`the run can always be resumed (${ROUNDS} rounds)`, async () => {
    await fs.writeFile(
      path.join(workspace, 'early.pipeline.yaml'),
      'stages:\n  a: { run: "sleep 0.2" }\n  b: { needs: [a], run: "true" }\n',
    );
    for (let round = 0; round < ROUNDS; round++) {
      const owner = startBaton(workspace, ['run', 'early.pipeline.yaml', '--yes']);
      await waitFor('the first stage to start', () => owner.output().includes('[a] started'), {
        intervalMs: 1,
      });
      owner.child.kill('SIGKILL');
      await owner.done;
      const runId = runIdIn(owner.output()) ?? '';
      const resumed = await baton(workspace, ['resume', runId, '--yes']);
      assert.equal(resumed.code, 0, `round ${round}: ${describeResult(resumed)}`);
    }
  });
});
