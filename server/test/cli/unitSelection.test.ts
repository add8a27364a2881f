import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { tempDir, writePipeline } from '../engine/helpers';
import { baton, planOf } from '../incremental/incrementalFixture';

// One unit per paper; each appends its item to `ran` and writes a summary file.
const PAPERS = `stages:
  read:
    foreach: papers/*.txt
    deps: [papers/*.txt]
    run: echo "$BATON_ITEM" >> ran
`;

describe('unit ids in the CLI (baton run and baton why, real processes)', function () {
  this.timeout(60000);
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = await tempDir('units');
    await fs.mkdir(path.join(dir, 'papers'));
    for (const name of ['a', 'b', 'c']) {
      await fs.writeFile(path.join(dir, 'papers', `${name}.txt`), name);
    }
    file = await writePipeline(dir, 'papers', PAPERS);
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function ran(): Promise<string> {
    const text = await fs.readFile(path.join(dir, 'ran'), 'utf8').catch(() => '');
    await fs.rm(path.join(dir, 'ran'), { force: true });
    return text;
  }

  it('runs only the unit named, escaped or not; the other items are not selected', async () => {
    const plan = await planOf(dir, file, ['read[papers/b.txt]']);
    assert.equal(plan['read[papers%2Fb.txt]']?.action, 'run');
    assert.equal(plan['read[papers%2Fa.txt]']?.action, 'unselected');
    assert.equal(
      plan['read']?.reason,
      'gathers its 3 items (1 to run, 0 up to date, 2 not selected)',
    );
    const result = await baton(dir, ['run', file, '--yes', 'read[papers%2Fb.txt]']);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.equal(await ran(), 'papers/b.txt\n');
  });

  it('forces one unit, and explains each unit with baton why', async () => {
    assert.equal((await baton(dir, ['run', file, '--yes'])).code, 0);
    await ran();
    const plan = await planOf(dir, file, ['--force', 'read[papers/a.txt]']);
    assert.equal(plan['read[papers%2Fa.txt]']?.reason, 'forced: the record is ignored');
    assert.match(plan['read[papers%2Fb.txt]']?.reason ?? '', /^up to date/);
    const forced = await baton(dir, ['run', file, '--yes', '--force', 'read[papers/a.txt]']);
    assert.equal(forced.code, 0, forced.stdout + forced.stderr);
    assert.equal(await ran(), 'papers/a.txt\n');
    const why = await baton(dir, ['why', file, 'read[papers/c.txt]']);
    assert.equal(why.code, 0, why.stderr);
    assert.match(
      why.stdout,
      /^read\[papers%2Fc\.txt\]: skip \(up to date: unchanged since run \S+\)$/m,
    );
  });

  it('says which items there are for an unknown item, and refuses items of a stage without any', async () => {
    const why = await baton(dir, ['why', file, 'read[papers/z.txt]']);
    assert.equal(why.code, 2);
    assert.match(
      why.stderr,
      /no item 'read\[papers%2Fz\.txt\]' in stage 'read' of .*; its items now are read\[papers%2Fa\.txt\], read\[papers%2Fb\.txt\], read\[papers%2Fc\.txt\]/,
    );
    const run = await baton(dir, ['run', file, '--yes', 'read[papers/z.txt]']);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /no item 'read\[papers%2Fz\.txt\]' among the items of 'read'/);
    assert.equal(await ran(), '');
    const plain = await writePipeline(dir, 'plain', 'stages:\n  s: { run: "true" }\n');
    const refused = await baton(dir, ['run', plain, '--yes', '--from', 's[x]']);
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /'s\[x\]' names an item, but stage 's' has no matrix: or foreach:/,
    );
  });
});
