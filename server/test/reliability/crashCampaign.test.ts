import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCliCampaign } from './harness/cliCampaign';
import { runServerCampaign } from './harness/serverCampaign';
import { writeCrashPipeline } from './harness/crashPipeline';
import { createRandom, seedFromEnvironment } from './harness/random';

describe('reliability: kill -9 of the baton engine, then resume (short campaign)', function () {
  this.timeout(60_000);
  let workspace = '';

  beforeEach(async () => {
    workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'baton-crash-'));
  });
  afterEach(async () => {
    await fs.rm(workspace, { recursive: true, force: true });
  });

  it('survives 3 kills of run and resume: no succeeded stage runs twice, nothing is lost', async () => {
    const random = createRandom(seedFromEnvironment(7));
    const files = await writeCrashPipeline(workspace, 30, random);
    const figures = await runCliCampaign({ files, random, kills: 3, maxKillDelayMs: 2500 });
    // The campaign loops until 3 kills, so their count proves nothing; these say
    // that kills hit runs in flight and that resume, not a fresh run, finished them.
    const seen = JSON.stringify(figures);
    assert.ok(figures.resumes >= 1, `a killed run was resumed: ${seen}`);
    assert.ok(figures.finishedByResume >= 1, `baton resume finished a killed run: ${seen}`);
    assert.ok(figures.executions >= 30 * figures.runs, `every stage of every run ran: ${seen}`);
    assert.ok(figures.flushedLines > 0, 'stages saw their lines in their logs');
  });

  it('survives a kill -9 of the server: a new server resumes the run over RPC', async () => {
    const random = createRandom(seedFromEnvironment(11));
    const files = await writeCrashPipeline(workspace, 12, random);
    const figures = await runServerCampaign({ files, random, kills: 1, maxKillDelayMs: 1500 });
    const seen = JSON.stringify(figures);
    assert.ok(figures.servers >= 2, `a second server took the killed run over: ${seen}`);
    assert.ok(figures.executions >= 12 * figures.runs, `every stage of every run ran: ${seen}`);
  });
});
