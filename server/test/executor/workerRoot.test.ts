import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writePipeline } from '../engine/helpers';
import { useBullmqFixture } from './bullmqFixture';

/** A checkout of one repository: a `.git` folder and `sub/where.txt` saying whose it is. */
async function checkout(dir: string, owner: string): Promise<string> {
  await fs.mkdir(path.join(dir, '.git'), { recursive: true });
  await fs.mkdir(path.join(dir, 'sub', 'tools'), { recursive: true });
  await fs.writeFile(path.join(dir, 'sub', 'where.txt'), `${owner}\n`);
  return dir;
}

describe('bullmq executor: a worker whose checkout sits at another path (--root)', function () {
  this.timeout(60_000);
  const fx = useBullmqFixture();

  const pipeline = (repo: string): Promise<string> =>
    writePipeline(
      path.join(repo, 'sub'),
      'p',
      `
executor: { type: bullmq, queue: default }
stages:
  remote:
    env: { TOOLS: ${path.join(repo, 'sub', 'tools')} }
    run: |
      echo "read=$(cat where.txt)" >> "$BATON_OUTPUT"
      echo "dir=$(pwd)" >> "$BATON_OUTPUT"
      echo "tools=$TOOLS" >> "$BATON_OUTPUT"
`,
    );

  it("runs the stage at the same place under the worker's root, with paths in its environment moved there", async () => {
    const mine = await checkout(path.join(fx.dir, 'alice', 'repo'), 'alice');
    const theirs = await checkout(path.join(fx.dir, 'gpu-box', 'srv', 'checkout'), 'gpu-box');
    await fx.worker('w1', ['default'], {}, ['--root', theirs]);
    const engine = fx.newEngine();
    const handle = await engine.startRun({ file: await pipeline(mine), interactive: false });
    const status = await handle.finished;
    const state = await engine.getRunState(handle.runId);
    assert.equal(status, 'succeeded', JSON.stringify(state.stages.remote));
    assert.deepEqual(state.stages.remote?.outputs, {
      read: 'gpu-box',
      dir: path.join(theirs, 'sub'),
      tools: path.join(theirs, 'sub', 'tools'),
    });
  });

  it("fails the attempt saying so when the stage's folder is not on the worker", async () => {
    const mine = await checkout(path.join(fx.dir, 'alice', 'repo'), 'alice');
    const elsewhere = path.join(fx.dir, 'gpu-box', 'empty');
    await fs.mkdir(elsewhere, { recursive: true });
    await fx.worker('w1', ['default'], {}, ['--root', elsewhere]);
    const engine = fx.newEngine();
    const handle = await engine.startRun({ file: await pipeline(mine), interactive: false });
    assert.equal(await handle.finished, 'failed');
    const state = await engine.getRunState(handle.runId);
    const error = JSON.stringify(state.stages.remote);
    assert.match(
      error,
      /the stage's folder \S+gpu-box\/empty\/sub \(sub under --root \S+, for \S+ under \S+\) does not exist on worker w1 on /,
    );
  });
});
