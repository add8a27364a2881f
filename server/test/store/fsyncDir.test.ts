import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { fsyncDir } from '../../src/store/atomicFile';
import { StoreError } from '../../src/store/storeError';
import { makeTempDir } from './helpers';

describe('fsyncDir', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = makeTempDir()));
  afterEach(() => cleanup());

  it('syncs a real directory', async () => {
    await fsyncDir(dir);
  });

  it('tolerates a file system that cannot sync a directory (procfs answers EINVAL)', async () => {
    await fsyncDir('/proc');
  });

  it('says which directory it could not sync, and why', async () => {
    const missing = path.join(dir, 'missing');
    await assert.rejects(fsyncDir(missing), (error: unknown) => {
      assert.ok(error instanceof StoreError, String(error));
      assert.equal(error.code, 'ENOENT');
      assert.equal(error.message, `no such file or directory while syncing directory ${missing}`);
      return true;
    });
  });
});
