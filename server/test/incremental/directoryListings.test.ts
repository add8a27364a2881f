import * as assert from 'node:assert/strict';
import { promises as fs, statSync, utimesSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../engine/helpers';
import { matchFiles } from '../../src/incremental/depsFiles';
import { DirectoryListings } from '../../src/incremental/directoryListings';

/**
 * The cache file's text for `dirs`, each listed as `names` (files) under the
 * directory's stat. The directories' modification times are set a minute back
 * first, so a change made right after moves them, however coarse the clock.
 */
function plantedCache(dirs: Record<string, readonly string[]>): string {
  const planted: Record<string, string> = {};
  const old = new Date(Date.now() - 60_000);
  for (const [dir, names] of Object.entries(dirs)) {
    utimesSync(dir, old, old);
    const stat = statSync(dir);
    const key = `${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}:${stat.ino}`;
    planted[dir] = [key, ...names.map((name) => `f${name}`)].join('/');
  }
  return JSON.stringify({ version: 1, dirs: planted });
}

describe('directory listings reused while a directory is unchanged', () => {
  let dir: string;
  let data: string;
  let cacheFile: string;

  beforeEach(async () => {
    dir = await tempDir('listings');
    data = path.join(dir, 'data');
    cacheFile = path.join(dir, 'dir-cache.json');
    await fs.mkdir(data);
    for (const name of ['a.txt', 'b.txt']) await fs.writeFile(path.join(data, name), name);
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('uses a kept listing while the directory stat is the same, and lists again once it changes', async () => {
    // Directories changed in the last two seconds are never kept, so the cache is written by hand;
    // the planted name shows the kept listing is what is used.
    await fs.writeFile(cacheFile, plantedCache({ [data]: ['a.txt', 'planted.txt'] }));
    const names = (listings: DirectoryListings) =>
      listings
        .list(data)
        ?.map((e) => e.name)
        .sort();
    assert.deepEqual(names(new DirectoryListings(cacheFile)), ['a.txt', 'planted.txt']);
    // A new file changes the directory's times: the real listing, with it, is used.
    await fs.writeFile(path.join(data, 'c.txt'), 'c');
    assert.deepEqual(names(new DirectoryListings(cacheFile)), ['a.txt', 'b.txt', 'c.txt']);
  });

  it('notices a new matching file, a removed one and a renamed one in deps globs', async () => {
    await fs.writeFile(cacheFile, plantedCache({ [data]: ['a.txt', 'b.txt'] }));
    const match = () => matchFiles(['data/*.txt'], dir, new DirectoryListings(cacheFile));
    assert.deepEqual(await match(), ['data/a.txt', 'data/b.txt']);
    await fs.writeFile(path.join(data, 'new.txt'), 'new');
    assert.deepEqual(await match(), ['data/a.txt', 'data/b.txt', 'data/new.txt']);
    await fs.writeFile(cacheFile, plantedCache({ [data]: ['a.txt', 'b.txt', 'new.txt'] }));
    await fs.rm(path.join(data, 'a.txt'));
    assert.deepEqual(await match(), ['data/b.txt', 'data/new.txt']);
    await fs.writeFile(cacheFile, plantedCache({ [data]: ['b.txt', 'new.txt'] }));
    await fs.rename(path.join(data, 'b.txt'), path.join(data, 'b.md'));
    assert.deepEqual(await match(), ['data/new.txt']);
  });

  it('lists afresh when the cache file is damaged, of another version or malformed', async () => {
    const texts = [
      'not json',
      JSON.stringify({ version: 99, dirs: JSON.parse(plantedCache({ [data]: ['x.txt'] })).dirs }),
      JSON.stringify({ version: 1, dirs: { [data]: 42 } }),
      plantedCache({ [data]: ['x.txt'] }).replace('/fx.txt', '/?x.txt'),
    ];
    for (const text of texts) {
      await fs.writeFile(cacheFile, text);
      const listed = new DirectoryListings(cacheFile).list(data)?.map((e) => e.name);
      assert.deepEqual(listed?.sort(), ['a.txt', 'b.txt'], text);
    }
    await fs.rm(cacheFile);
    assert.deepEqual(new DirectoryListings(cacheFile).list(data)?.length, 2);
  });

  it('keeps no listing of a directory changed in the last two seconds, and none of a missing one', async () => {
    const listings = new DirectoryListings(cacheFile);
    assert.equal(listings.list(path.join(dir, 'missing')), undefined);
    assert.equal(listings.list(path.join(data, 'a.txt')), undefined);
    assert.equal(listings.list(data)?.length, 2);
    await listings.save();
    await assert.rejects(fs.stat(cacheFile), { code: 'ENOENT' });
  });

  it('looks up what a listed symlink points to each time', async () => {
    const target = path.join(dir, 'target');
    await fs.writeFile(target, 'file');
    await fs.symlink(target, path.join(data, 'link.txt'));
    const planted = plantedCache({ [data]: ['a.txt', 'b.txt', 'link.txt'] });
    await fs.writeFile(cacheFile, planted.replace('/flink.txt', '/llink.txt'));
    const listings = new DirectoryListings(cacheFile);
    assert.deepEqual(await matchFiles(['data/*.txt'], dir, listings), [
      'data/a.txt',
      'data/b.txt',
      'data/link.txt',
    ]);
    // The link's folder is unchanged; what it points to is now a directory.
    await fs.rm(target);
    await fs.mkdir(target);
    assert.deepEqual(await matchFiles(['data/*.txt'], dir, listings), ['data/a.txt', 'data/b.txt']);
  });
});
