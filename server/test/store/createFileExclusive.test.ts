import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { createFileExclusive } from '../../src/store/atomicFile';
import { StoreError } from '../../src/store/storeError';
import { makeTempDir, tempFilesIn } from './helpers';

describe('createFileExclusive errors', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = makeTempDir()));
  afterEach(() => cleanup());

  it('reports a name the kernel cannot link to as an error naming it, not as taken', async () => {
    const target = `${path.join(dir, 'x.lock')}/`;
    await assert.rejects(createFileExclusive(target, 'owner'), (error: unknown) => {
      assert.ok(error instanceof StoreError, String(error));
      assert.equal(error.code, 'ENOENT');
      assert.equal(error.message, `no such file or directory while creating ${target}`);
      return true;
    });
    assert.deepEqual(await tempFilesIn(dir), []);
  });
});
