import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { tempDir, waitFor } from '../engine/helpers';
import { baton, clearRan, planOf, ranStages, startBaton, writeChain } from './incrementalFixture';

/** Every record entry file under the state directory. */
async function entryFiles(dir: string): Promise<string[]> {
  const root = path.join(dir, '.baton', 'cache');
  const found: string[] = [];
  const walk = async (at: string): Promise<void> => {
    for (const entry of await fs.readdir(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) await walk(full);
      // A temp file a kill left mid-write is not an entry (and is never read as one).
      else if (full.includes(`${path.sep}units${path.sep}`) && !entry.name.startsWith('.'))
        found.push(full);
    }
  };
  await walk(root).catch(() => undefined);
  return found.sort();
}

describe('the record under crashes, damage and concurrency', function () {
  this.timeout(90000);
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = await tempDir('record');
    file = await writeChain(dir);
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('treats a torn or damaged entry as a miss with a warning, never a skip', async () => {
    assert.equal((await baton(dir, ['run', file, '--yes'])).code, 0);
    const entries = await entryFiles(dir);
    const translate = entries.find((f) => f.includes(`${path.sep}translate${path.sep}`));
    const analyze = entries.find((f) => f.includes(`${path.sep}analyze${path.sep}`));
    assert.ok(translate !== undefined && analyze !== undefined);
    const text = await fs.readFile(translate, 'utf8');
    await fs.writeFile(translate, text.slice(0, Math.floor(text.length / 2)));
    // A flipped character keeps the JSON whole but breaks the checksum.
    await fs.writeFile(analyze, (await fs.readFile(analyze, 'utf8')).replace('digest', 'digesT'));
    const plan = await planOf(dir, file);
    assert.equal(plan.translate?.action, 'run');
    assert.equal(plan.analyze?.action, 'run');
    await clearRan(dir);
    const rerun = await baton(dir, ['run', file, '--yes']);
    assert.equal(rerun.code, 0);
    assert.deepEqual(ranStages(dir), ['translate', 'analyze']);
    assert.match(rerun.stdout + rerun.stderr, /cannot be trusted: it is not complete JSON/);
    assert.match(
      rerun.stdout + rerun.stderr,
      /cannot be trusted: its content does not match its checksum/,
    );
    await clearRan(dir);
    assert.equal((await baton(dir, ['run', file, '--yes'])).code, 0);
    assert.deepEqual(ranStages(dir), [], 'the rewritten entries are trusted again');
  });

  it('keeps the records of two pipelines that run at once in one state directory', async () => {
    const other = (await fs.readFile(path.join(dir, file), 'utf8'))
      .replace('name: Lit', 'name: Other')
      .replaceAll('out/', 'out2/')
      .replaceAll('ran.log', 'ran2.log')
      .replace('mkdir -p out ', 'mkdir -p out2 && sleep 0.2 ');
    await fs.writeFile(path.join(dir, 'other.pipeline.yaml'), other);
    const results = await Promise.all([
      baton(dir, ['run', file, '--yes']),
      baton(dir, ['run', 'other.pipeline.yaml', '--yes']),
    ]);
    assert.deepEqual(
      results.map((r) => r.code),
      [0, 0],
      results.map((r) => r.stderr).join('\n'),
    );
    assert.equal((await entryFiles(dir)).length, 6);
    const plans = await Promise.all([planOf(dir, file), planOf(dir, 'other.pipeline.yaml')]);
    for (const plan of plans) {
      assert.deepEqual(
        Object.values(plan).map((u) => u.action),
        ['skip', 'skip', 'skip'],
      );
    }
  });

  it('after kill -9 mid-run, a new run skips exactly the stages that had succeeded', async () => {
    const slow = (await fs.readFile(path.join(dir, file), 'utf8')).replace(
      'run: echo report >> ran.log &&',
      'run: echo report >> ran.log && touch started.flag && sleep 30 &&',
    );
    await fs.writeFile(path.join(dir, file), slow);
    const { child, done } = startBaton(dir, ['run', file, '--yes']);
    await waitFor('report to start', async () =>
      fs.stat(path.join(dir, 'started.flag')).then(
        () => true,
        () => false,
      ),
    );
    // A success is recorded just after its stage ends, alongside the next stage's start;
    // a kill inside that window is only a miss (the stage runs again), so kill after it.
    await waitFor('the two successes to be recorded', async () => {
      return (await entryFiles(dir)).length === 2;
    });
    child.kill('SIGKILL');
    await done;
    const entries = await entryFiles(dir);
    assert.equal(
      entries.length,
      2,
      `only translate and analyze are recorded: ${entries.join(', ')}`,
    );
    await fs.writeFile(path.join(dir, file), slow.replace('sleep 30 &&', 'true &&'));
    await clearRan(dir);
    const rerun = await baton(dir, ['run', file, '--yes']);
    assert.equal(rerun.code, 0, rerun.stdout + rerun.stderr);
    assert.deepEqual(ranStages(dir), ['report']);
  });
});
