import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCliCampaign } from '../reliability/harness/cliCampaign';
import { writeCrashPipeline } from '../reliability/harness/crashPipeline';
import { createRandom, seedFromEnvironment } from '../reliability/harness/random';
import { runServerCampaign } from '../reliability/harness/serverCampaign';
import { chaosLog, describeChaos, reportFigures } from './chaosReport';

/** Kills per campaign; `BATON_CHAOS_KILLS` overrides it for a longer (or quicker) campaign. */
const KILLS = Number(process.env.BATON_CHAOS_KILLS ?? 50);

describeChaos('chaos: crash campaign (kill -9 at random moments, then resume)', function () {
  let workspace = '';

  beforeEach(async () => {
    workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'baton-chaos-'));
  });
  afterEach(async () => {
    await fs.rm(workspace, { recursive: true, force: true });
  });

  it(`the baton CLI survives ${KILLS} kills of run and resume`, async () => {
    const seed = seedFromEnvironment(20261121);
    const random = createRandom(seed);
    const files = await writeCrashPipeline(workspace, 30, random);
    const figures = await runCliCampaign({
      files,
      random,
      kills: KILLS,
      maxKillDelayMs: 2500,
      log: chaosLog,
    });
    await reportFigures('cliCrashCampaign', { seed, ...figures });
    assert.ok(figures.kills >= KILLS);
  });

  it(`the server survives ${KILLS} kills; each new server resumes the run over RPC`, async () => {
    const seed = seedFromEnvironment(20261122);
    const random = createRandom(seed);
    const files = await writeCrashPipeline(workspace, 30, random);
    const figures = await runServerCampaign({
      files,
      random,
      kills: KILLS,
      maxKillDelayMs: 2500,
      log: chaosLog,
    });
    await reportFigures('serverCrashCampaign', { seed, ...figures });
    assert.ok(figures.kills >= KILLS);
  });
});
