/**
 * Locks the kernel will not let us take or reclaim fail at once with an error
 * that names the lock, never as "held by someone" and never as a wait.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { acquireLock, readLock } from '../../src/store/lock';
import { StoreError } from '../../src/store/storeError';
import { makeTempDir, tempFilesIn } from './helpers';

function isStoreError(code: string, message: string | RegExp): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(error instanceof StoreError, String(error));
    assert.equal(error.code, code);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  };
}

describe('lock errors', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = makeTempDir('baton-lock-')));
  afterEach(() => cleanup());

  it('reports exactly the fields its file records as its owner', async () => {
    const lockPath = path.join(dir, 'plain.lock');
    const result = await acquireLock(lockPath);
    assert.ok(result.acquired);
    const written = JSON.parse(await fs.readFile(lockPath, 'utf8')) as object;
    assert.deepEqual(Object.keys(result.lock.owner).sort(), Object.keys(written).sort());
    assert.deepEqual(result.lock.owner, written);
    await result.lock.release();
  });

  it('fails with the kernel’s reason when the lock name cannot be linked to (a trailing slash)', async () => {
    const lockPath = `${path.join(dir, 'review.lock')}/`;
    await assert.rejects(
      acquireLock(lockPath, { timeoutMs: 60_000 }),
      isStoreError('ENOENT', `no such file or directory while creating lock ${lockPath}`),
    );
    assert.deepEqual(await tempFilesIn(dir), []);
  });

  it('fails at once, naming the lock, when a dead owner’s guard name is too long to create', async () => {
    // 190 characters fit a file name; with ".reclaim-<64-hex token>-1" the guard's do not.
    const lockPath = path.join(dir, `${'p'.repeat(190)}.lock`);
    const stale = Date.now() - 3_600_000;
    const owner = {
      token: 'a'.repeat(64),
      host: `not-${os.hostname()}`,
      pid: 1,
      startedAt: stale,
      heartbeatAt: stale,
    };
    await fs.writeFile(lockPath, JSON.stringify(owner));
    await fs.utimes(lockPath, new Date(stale), new Date(stale));
    await assert.rejects(
      acquireLock(lockPath, { staleMs: 1_000, timeoutMs: 60_000 }),
      // Node's own words for the code, then what and where.
      isStoreError(
        'ENAMETOOLONG',
        new RegExp(`^ENAMETOOLONG.* while reclaiming lock ${lockPath}$`),
      ),
    );
    assert.equal((await readLock(lockPath))?.token, owner.token, 'the dead owner’s lock stays');
  });
});
