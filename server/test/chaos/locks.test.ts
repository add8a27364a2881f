import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  raceQueueRound,
  raceSkipRound,
  releaseWinner,
  writeRacePipeline,
} from '../reliability/harness/lockRace';
import { createRandom, seedFromEnvironment } from '../reliability/harness/random';
import { describeChaos, reportFigures } from './chaosReport';

const SKIP_ROUNDS = 50;
const QUEUE_ROUNDS = 10;

describeChaos('chaos: two engines race for one pipeline, many times', function () {
  let workspace = '';

  beforeEach(async () => {
    workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'baton-race-'));
  });
  afterEach(async () => {
    await fs.rm(workspace, { recursive: true, force: true });
  });

  it(`overlap skip holds in ${SKIP_ROUNDS} rounds; winners killed at random leave locks that are reclaimed`, async () => {
    const seed = seedFromEnvironment(7007);
    const random = createRandom(seed);
    const files = await writeRacePipeline(workspace, 'skip');
    let killedOwners = 0;
    let reclaimed = 0;
    let ownerWasKilled = false;
    for (let round = 0; round < SKIP_ROUNDS; round++) {
      const { winner } = await raceSkipRound(files);
      if (ownerWasKilled) {
        assert.match(winner.output(), /reclaimed the lock of pipeline race/);
        reclaimed++;
      }
      ownerWasKilled = random.chance(0.3);
      if (ownerWasKilled) {
        winner.child.kill('SIGKILL');
        await winner.done;
        killedOwners++;
      } else {
        await releaseWinner(files, winner);
      }
    }
    await reportFigures('lockRaceSkip', { seed, rounds: SKIP_ROUNDS, killedOwners, reclaimed });
  });

  it(`overlap queue holds in ${QUEUE_ROUNDS} rounds`, async () => {
    const files = await writeRacePipeline(workspace, 'queue');
    for (let round = 0; round < QUEUE_ROUNDS; round++) await raceQueueRound(files);
    await reportFigures('lockRaceQueue', { rounds: QUEUE_ROUNDS });
  });
});
