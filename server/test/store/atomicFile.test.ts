import * as assert from 'node:assert/strict';
import { promises as fs, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  createFileExclusive,
  ensureDir,
  isTempName,
  tempPathFor,
  writeFileAtomic,
} from '../../src/store/atomicFile';
import { StoreError } from '../../src/store/storeError';
import { compiledModule, makeTempDir, mountTinyTmpfs, runNode, tempFilesIn } from './helpers';
import { skipOrFailWithout, TMPFS_FIX } from '../helpers/capability';

const isRoot = process.getuid?.() === 0;

/** A child that tries one atomic write and prints the outcome as JSON. */
const WRITE_CHILD = `
const { writeFileAtomic } = require(process.argv[1]);
writeFileAtomic(process.argv[2], 'x'.repeat(Number(process.argv[3]))).then(
  () => console.log(JSON.stringify({ ok: true })),
  (e) => console.log(JSON.stringify({ ok: false, name: e.name, code: e.code, message: e.message })),
);`;

describe('writeFileAtomic', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = makeTempDir()));
  afterEach(() => cleanup());

  it('replaces a file with owner-only permissions and leaves no temp file', async () => {
    const file = path.join(dir, 'run.json');
    await writeFileAtomic(file, 'first');
    await writeFileAtomic(file, 'second');
    assert.equal(await fs.readFile(file, 'utf8'), 'second');
    assert.equal((await fs.stat(file)).mode & 0o777, 0o600);
    assert.deepEqual(await tempFilesIn(dir), []);
  });

  it('creates directories owner-only', async () => {
    const nested = path.join(dir, 'a', 'b');
    await ensureDir(nested);
    assert.equal((await fs.stat(nested)).mode & 0o777, 0o700);
  });

  it('never lets a reader see a mix of two versions', async () => {
    const file = path.join(dir, 'state.json');
    const versions = Array.from({ length: 20 }, (_, i) =>
      JSON.stringify({ v: i, pad: String(i).repeat(50_000) }),
    );
    await writeFileAtomic(file, versions[0] ?? '');
    let writing = true;
    let reads = 0;
    const reader = (async () => {
      while (writing) {
        const text = await fs.readFile(file, 'utf8');
        assert.ok(versions.includes(text), `read a partial or mixed file of ${text.length} chars`);
        reads += 1;
      }
    })();
    await Promise.all(versions.map((v) => writeFileAtomic(file, v)));
    writing = false;
    await reader;
    assert.ok(reads > 0);
    assert.ok(versions.includes(await fs.readFile(file, 'utf8')));
    assert.deepEqual(await tempFilesIn(dir), []);
  });

  it('keeps the previous file when the size limit is hit (EFBIG, real child under ulimit -f)', async () => {
    const file = path.join(dir, 'run.json');
    writeFileSync(file, 'previous');
    // 8 blocks of 512 bytes: a 100 kB write cannot fit.
    const result = await runNode(
      WRITE_CHILD,
      [compiledModule('store/atomicFile.js'), file, '100000'],
      {
        shellPrefix: 'ulimit -f 8',
      },
    );
    const outcome = JSON.parse(result.stdout) as {
      ok: boolean;
      name: string;
      code: string;
      message: string;
    };
    assert.equal(outcome.ok, false, result.stderr);
    assert.equal(outcome.name, 'StoreError');
    assert.equal(outcome.code, 'EFBIG');
    assert.match(outcome.message, /file too large .* while writing .*run\.json/);
    assert.equal(await fs.readFile(file, 'utf8'), 'previous');
    assert.deepEqual(await tempFilesIn(dir), []);
  });

  it('fails with a clear error in a read-only directory, keeping the previous file', async function () {
    this.timeout(20_000);
    const file = path.join(dir, 'locked', 'run.json');
    await fs.mkdir(path.dirname(file));
    writeFileSync(file, 'previous');
    await fs.chmod(path.dirname(file), 0o555);
    if (isRoot) {
      // Root ignores permissions: run the write as "nobody" instead.
      await fs.chmod(dir, 0o755);
      const result = await runNode(
        WRITE_CHILD,
        [compiledModule('store/atomicFile.js'), file, '10'],
        {
          uid: 65534,
          gid: 65534,
        },
      );
      const outcome = JSON.parse(result.stdout) as { ok: boolean; code: string; message: string };
      assert.equal(outcome.ok, false, result.stderr);
      assert.equal(outcome.code, 'EACCES');
      assert.match(outcome.message, /permission denied while writing .*run\.json/);
    } else {
      await assert.rejects(writeFileAtomic(file, 'new'), (error: unknown) => {
        assert.ok(error instanceof StoreError);
        assert.equal(error.code, 'EACCES');
        return true;
      });
    }
    assert.equal(await fs.readFile(file, 'utf8'), 'previous');
    await fs.chmod(path.dirname(file), 0o755);
    assert.deepEqual(await tempFilesIn(path.dirname(file)), []);
  });

  describe('on a full file system (tmpfs)', () => {
    let mount: { dir: string; unmount: () => void } | undefined;
    before(function () {
      mount = mountTinyTmpfs(64);
      if (mount === undefined) {
        skipOrFailWithout(this, 'mount -t tmpfs for the disk-full tests', TMPFS_FIX);
      }
    });
    after(() => mount?.unmount());

    it('throws ENOSPC with a plain message and keeps the previous file', async () => {
      const file = path.join(mount?.dir ?? '', 'run.json');
      await writeFileAtomic(file, 'previous');
      await assert.rejects(writeFileAtomic(file, 'x'.repeat(256 * 1024)), (error: unknown) => {
        assert.ok(error instanceof StoreError);
        assert.equal(error.code, 'ENOSPC');
        assert.equal(error.path, file);
        assert.match(error.message, /^no space left on device while writing .*run\.json$/);
        return true;
      });
      assert.equal(await fs.readFile(file, 'utf8'), 'previous');
      assert.deepEqual(await tempFilesIn(mount?.dir ?? ''), []);
      // Space is back (nothing was leaked): a normal write works again.
      await writeFileAtomic(file, 'next');
      assert.equal(await fs.readFile(file, 'utf8'), 'next');
    });
  });
});

describe('atomic file errors and temp names', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = makeTempDir()));
  afterEach(() => cleanup());

  async function rejectsWith(
    promise: Promise<unknown>,
    code: string,
    message: string | RegExp,
  ): Promise<void> {
    await assert.rejects(promise, (error: unknown) => {
      assert.ok(error instanceof StoreError, String(error));
      assert.equal(error.code, code);
      if (typeof message === 'string') assert.equal(error.message, message);
      else assert.match(error.message, message);
      return true;
    });
  }

  it('names a hidden .tmp file next to its target, different each time', () => {
    const target = path.join(dir, 'run.json');
    const first = tempPathFor(target);
    assert.equal(path.dirname(first), dir);
    assert.ok(path.basename(first).startsWith(`.run.json.${process.pid}.`), first);
    assert.ok(isTempName(path.basename(first)), first);
    assert.notEqual(tempPathFor(target), first);
    assert.equal(isTempName('.run.json.tmp'), true);
    assert.equal(isTempName('run.json.tmp'), false, 'not hidden');
    assert.equal(isTempName('.run.json'), false, 'no .tmp suffix');
  });

  it('says which directory it could not create, and why', async () => {
    const file = path.join(dir, 'file');
    writeFileSync(file, 'x');
    const under = path.join(file, 'sub');
    await rejectsWith(
      ensureDir(under),
      'ENOTDIR',
      `a parent is not a directory while creating directory ${under}`,
    );
    // Node's own words for EEXIST, then what and where.
    await rejectsWith(ensureDir(file), 'EEXIST', / while creating directory \S+\/file$/);
  });

  it('fails to write into a missing directory naming the target, leaving no temp file', async () => {
    const target = path.join(dir, 'missing', 'run.json');
    const message = `no such file or directory while writing ${target}`;
    await rejectsWith(writeFileAtomic(target, 'x'), 'ENOENT', message);
    await rejectsWith(createFileExclusive(target, 'x'), 'ENOENT', message);
  });

  it('keeps a directory in the target’s place and removes its temp file when the rename fails', async () => {
    const target = path.join(dir, 'taken');
    await fs.mkdir(target);
    await assert.rejects(writeFileAtomic(target, 'x'), (error: unknown) => {
      assert.ok(error instanceof StoreError);
      assert.match(error.message, new RegExp(`while writing ${target}$`));
      return true;
    });
    assert.ok((await fs.stat(target)).isDirectory());
    assert.deepEqual(await tempFilesIn(dir), []);
  });
});

describe('createFileExclusive', () => {
  it('creates once with complete content, then reports the name taken', async () => {
    const { dir, cleanup } = makeTempDir();
    try {
      const file = path.join(dir, 'x.lock');
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => createFileExclusive(file, `owner ${i}`)),
      );
      assert.equal(results.filter(Boolean).length, 1);
      const winner = results.indexOf(true);
      assert.equal(await fs.readFile(file, 'utf8'), `owner ${winner}`);
      assert.deepEqual(await tempFilesIn(dir), []);
    } finally {
      cleanup();
    }
  });
});
