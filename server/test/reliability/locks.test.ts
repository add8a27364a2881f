import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { baton, describeResult } from './harness/cli';
import {
  raceQueueRound,
  raceSkipRound,
  releaseWinner,
  writeRacePipeline,
} from './harness/lockRace';

describe('reliability: two engines race for one pipeline', function () {
  this.timeout(60_000);
  let workspace = '';

  beforeEach(async () => {
    workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'baton-race-'));
  });
  afterEach(async () => {
    await fs.rm(workspace, { recursive: true, force: true });
  });

  it('overlap skip: in every round exactly one runs and the other is refused, naming the owner', async () => {
    const files = await writeRacePipeline(workspace, 'skip');
    for (let round = 0; round < 3; round++) {
      const { winner } = await raceSkipRound(files);
      await releaseWinner(files, winner);
    }
  });

  it('overlap queue: both run, one after the other', async () => {
    const files = await writeRacePipeline(workspace, 'queue');
    await raceQueueRound(files);
  });

  it("a killed owner's lock is reclaimed; a live owner's lock is not broken by unlock", async () => {
    const files = await writeRacePipeline(workspace, 'skip');
    const { winner } = await raceSkipRound(files);
    const refused = await baton(workspace, ['unlock', 'race']);
    assert.equal(refused.code, 1, describeResult(refused));
    winner.child.kill('SIGKILL');
    await winner.done;
    await fs.writeFile(files.release, '');
    const next = await baton(workspace, ['run', files.pipelineFile, '--yes']);
    assert.equal(next.code, 0, describeResult(next));
    assert.match(next.stdout + next.stderr, /reclaimed the lock of pipeline race/);
  });
});
