import * as assert from 'node:assert/strict';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { startBaton } from '../helpers/batonProcess';
import { processesOfRun, tempDir, waitFor, writePipeline } from '../engine/helpers';

function runIdIn(text: string): string {
  return /run (\d{8}-\d{6}-\d{3}-[a-z0-9]{4})/.exec(text)?.[1] ?? '';
}

/** Every stage log of every run in `dir`, joined (runs write other files meanwhile, so only logs are read). */
async function allLogs(dir: string): Promise<string> {
  const runs = path.join(dir, '.baton', 'runs');
  const texts: string[] = [];
  for (const run of existsSync(runs) ? await fs.readdir(runs) : []) {
    const logs = path.join(runs, run, 'logs');
    for (const name of existsSync(logs) ? await fs.readdir(logs) : []) {
      texts.push(await fs.readFile(path.join(logs, name), 'utf8'));
    }
  }
  return texts.join('\n');
}

const HOLDER = `pools: { gpu: 1 }
stages:
  train:
    resources: { gpu: 1 }
    run: |
      touch train-started
      while [ ! -e release ]; do sleep 0.05; done
`;

const WAITER = `pools: { gpu: 1, other: 2 }
stages:
  infer:
    resources: { gpu: 1, other: 1 }
    run: touch infer-ran
`;

describe('resource pools shared by two processes', function () {
  this.timeout(60000);
  let dir: string;

  beforeEach(async () => {
    dir = await tempDir('pools');
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('makes the second pipeline wait, saying for whom, until the first gives the slot back', async () => {
    await writePipeline(dir, 'holder', HOLDER);
    await writePipeline(dir, 'waiter', WAITER);
    const holder = startBaton(dir, ['run', 'holder.pipeline.yaml', '--yes']);
    await waitFor('train to start', () => existsSync(path.join(dir, 'train-started')));
    const waiter = startBaton(dir, ['run', 'waiter.pipeline.yaml', '--yes']);
    const holderRun = runIdIn(holder.output());
    const reason = `waiting for pool gpu: held by run ${holderRun} stage train`;
    await waitFor('the waiter to say why it waits', async () =>
      (await allLogs(dir)).includes(reason),
    );
    assert.ok(!existsSync(path.join(dir, 'infer-ran')));
    await fs.writeFile(path.join(dir, 'release'), '');
    assert.equal(await holder.done, 0, holder.output());
    assert.equal(await waiter.done, 0, waiter.output());
    assert.ok(existsSync(path.join(dir, 'infer-ran')));
  });

  it('reclaims the slot of a process killed with -9', async () => {
    await writePipeline(dir, 'holder', HOLDER);
    await writePipeline(dir, 'waiter', WAITER);
    const holder = startBaton(dir, ['run', 'holder.pipeline.yaml', '--yes']);
    await waitFor('train to start', () => existsSync(path.join(dir, 'train-started')));
    const holderRun = runIdIn(holder.output());
    holder.child.kill('SIGKILL');
    await holder.done;
    const waiter = startBaton(dir, ['run', 'waiter.pipeline.yaml', '--yes']);
    assert.equal(await waiter.done, 0, waiter.output());
    assert.ok(existsSync(path.join(dir, 'infer-ran')));
    const slot = path.join(dir, '.baton', 'pools', 'gpu', 'slot-0.lock');
    assert.ok(!existsSync(slot) || !readFileSync(slot, 'utf8').includes(holderRun));
    // The orphaned stage of the killed engine is ended by the resume's reaper; end it here.
    for (const pid of processesOfRun(holderRun)) process.kill(pid, 'SIGKILL');
  });
});
