import * as assert from 'node:assert/strict';
import { promises as fs, statSync, utimesSync } from 'node:fs';
import * as path from 'node:path';
import { glob } from 'tinyglobby';
import { tempDir } from '../engine/helpers';
import { matchFiles } from '../../src/incremental/depsFiles';
import { contentHash, FileHasher } from '../../src/incremental/fileHasher';
import type { RecordEntry } from '../../src/incremental/recordEntry';
import { RECORD_VERSION } from '../../src/incremental/recordEntry';
import { KEPT_PER_UNIT, RecordStore } from '../../src/incremental/recordStore';

function entry(unit: string, n: number): RecordEntry {
  return {
    version: RECORD_VERSION,
    unit,
    fingerprint: contentHash(`${unit}-${n}`),
    parts: { command: 'c', cwd: 'w', env: {}, inputs: {}, upstream: {}, deps: { [`f${n}`]: 'h' } },
    runId: `run-${n}`,
    attempt: 1,
    at: n,
    outputs: { n: String(n) },
    digest: 'd',
    files: {},
  };
}

describe('the record store, file hasher and deps matching', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await tempDir('record-store');
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('finds entries by fingerprint, keeps the newest few per unit, lists, prunes and clears', async () => {
    const store = new RecordStore(dir);
    const pipelineDir = store.pipelineDir('p', path.join(dir, 'p.pipeline.yaml'));
    await store.describePipeline(pipelineDir, path.join(dir, 'p.pipeline.yaml'));
    for (let n = 0; n < KEPT_PER_UNIT + 2; n++) {
      await store.write(pipelineDir, entry('build', n));
      // Distinct modification times, so "newest" is well defined even on coarse clocks.
      const file = path.join(
        pipelineDir,
        'units',
        'build',
        `${entry('build', n).fingerprint}.json`,
      );
      utimesSync(file, n + 1, n + 1);
    }
    await store.write(pipelineDir, entry('odd unit[a/b]', 1));
    const found = store.read(pipelineDir, 'build', entry('build', 6).fingerprint);
    assert.equal(found.kind === 'found' && found.entry.runId, 'run-6');
    assert.equal(store.read(pipelineDir, 'build', entry('build', 0).fingerprint).kind, 'absent');
    assert.equal(store.latest(pipelineDir, 'build')?.runId, 'run-6');
    assert.equal(store.latest(pipelineDir, 'odd unit[a/b]')?.runId, 'run-1');
    const [summary] = store.list();
    assert.equal(summary?.units, 2);
    assert.equal(summary?.entries, KEPT_PER_UNIT + 1);
    assert.equal(summary?.file, path.join(dir, 'p.pipeline.yaml'));
    assert.equal(store.prune(1), KEPT_PER_UNIT - 1);
    assert.equal(store.latest(pipelineDir, 'build')?.runId, 'run-6');
    assert.equal(store.clear(), 1);
    assert.deepEqual(store.list(), []);
  });

  it('reports a damaged entry as damaged and passes over it for the newest', async () => {
    const store = new RecordStore(dir);
    const pipelineDir = store.pipelineDir('p', 'p.pipeline.yaml');
    await store.write(pipelineDir, entry('build', 1));
    await store.write(pipelineDir, entry('build', 2));
    const file = path.join(pipelineDir, 'units', 'build', `${entry('build', 2).fingerprint}.json`);
    await fs.writeFile(file, '{"check":"');
    const read = store.read(pipelineDir, 'build', entry('build', 2).fingerprint);
    assert.equal(read.kind, 'damaged');
    assert.equal(store.latest(pipelineDir, 'build')?.runId, 'run-1');
  });

  it('makes one key per state directory and keeps it', async () => {
    const store = new RecordStore(dir);
    const [a, b] = await Promise.all([store.hashKey(), new RecordStore(dir).hashKey()]);
    assert.equal(a.length, 32);
    assert.deepEqual(a, b);
    assert.notEqual(RecordStore.keyedHash(a, 'secret'), contentHash('secret'));
  });

  it('hashes by content and never trusts a cached hash once the file changed', async () => {
    const file = path.join(dir, 'data.txt');
    await fs.writeFile(file, 'one');
    const old = new Date(Date.now() - 60_000);
    utimesSync(file, old, old);
    const cacheFile = path.join(dir, 'stat-cache.json');
    const hasher = new FileHasher(cacheFile);
    assert.equal(hasher.hash(file)?.hash, contentHash('one'));
    await hasher.save();
    // Same size, same mtime: only the change time (and the content) differ.
    await fs.writeFile(file, 'two');
    utimesSync(file, old, old);
    assert.equal(new FileHasher(cacheFile).hash(file)?.hash, contentHash('two'));
    assert.equal(hasher.hash(path.join(dir, 'missing.txt')), undefined);
    await fs.writeFile(cacheFile, 'not json');
    assert.equal(new FileHasher(cacheFile).hash(file)?.hash, contentHash('two'));
  });

  it('trusts well-formed stat cache entries only, and keeps the untouched ones on save', async () => {
    const [kept, malformed, stale] = ['kept.txt', 'malformed.txt', 'stale.txt'].map((name) =>
      path.join(dir, name),
    ) as [string, string, string];
    for (const file of [kept, malformed, stale]) await fs.writeFile(file, path.basename(file));
    // Files changed in the last two seconds are never cached, so the cache is written by hand.
    const planted = contentHash('planted');
    const entryOf = (file: string, hash: string, size?: string) => {
      const stat = statSync(file);
      return `${size ?? stat.size}:${stat.mtimeMs}:${stat.ctimeMs}:${stat.ino} ${hash}`;
    };
    const cacheFile = path.join(dir, 'stat-cache.json');
    const files = {
      [kept]: entryOf(kept, planted),
      [malformed]: entryOf(malformed, planted, 'eleven'),
      [stale]: entryOf(stale, planted),
    };
    await fs.writeFile(cacheFile, JSON.stringify({ version: 2, files }));
    await fs.writeFile(stale, 'stale.txt, changed');
    const hasher = new FileHasher(cacheFile);
    // A cached hash is used while the stat matches (the planted one shows it), a malformed entry never.
    assert.equal(hasher.hash(kept)?.hash, planted);
    assert.equal(hasher.hash(malformed)?.hash, contentHash('malformed.txt'));
    assert.equal(hasher.hash(stale)?.hash, contentHash('stale.txt, changed'));
    // The changed file's entry goes (it is too new to cache again); the others stay as they were.
    await hasher.save();
    const saved = JSON.parse(await fs.readFile(cacheFile, 'utf8')) as {
      files: Record<string, unknown>;
    };
    assert.deepEqual(saved.files, { [kept]: files[kept] });
    assert.equal(new FileHasher(cacheFile).hash(kept)?.hash, planted);
  });

  it('matches deps globs as tinyglobby does', async () => {
    for (const name of ['a/1.txt', 'a/2.txt', 'a/.hidden.txt', 'a/b/3.txt', 'c.txt', 'a/x.md']) {
      await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await fs.writeFile(path.join(dir, name), name);
    }
    const patterns = [
      ['a/*.txt'],
      ['c.txt'],
      ['a/**/*.txt'],
      ['./a/*.md', 'c.txt'],
      ['nope/*.txt'],
      ['a/{1,2}.txt'],
    ];
    for (const pattern of patterns) {
      const expected = (
        await glob(pattern, { cwd: dir, dot: true, onlyFiles: true, expandDirectories: false })
      ).sort();
      assert.deepEqual(await matchFiles(pattern, dir), expected, pattern.join(' '));
    }
  });
});
