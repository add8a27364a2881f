/**
 * What a lock records, how long a taker waits for another reclaimer, and that
 * a lock leaves no timer behind. (lock.test.ts holds the ownership rules.)
 */
import * as assert from 'node:assert/strict';
import { createHook } from 'node:async_hooks';
import { promises as fs, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { acquireLock, breakLock } from '../../src/store/lock';
import { waitFor } from '../helpers/waitFor';
import { makeTempDir, tempFilesIn } from './helpers';

/**
 * Intervals (`setInterval`, Node's repeating `Timeout`) created while `body`
 * runs and not cleared since. One-shot timers are left out: mocha arms its
 * own per-test timer while the test body starts.
 */
async function intervalsLeftBy(body: () => Promise<void>): Promise<number> {
  const live = new Set<number>();
  const hook = createHook({
    init: (id, type, _trigger, resource) => {
      if (type === 'Timeout' && (resource as { _repeat?: unknown })._repeat != null) live.add(id);
    },
    destroy: (id) => live.delete(id),
  });
  hook.enable();
  try {
    await body();
    // Destroy hooks are emitted after the current step: let them arrive.
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
  } finally {
    hook.disable();
  }
  return live.size;
}

describe('lock details', () => {
  let dir: string;
  let cleanup: () => void;
  let lockPath: string;
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir('baton-lock-'));
    lockPath = path.join(dir, 'locks', 'review.lock');
  });
  afterEach(() => cleanup());

  it('records the run and the label it is given, and no such fields when given none', async () => {
    const labelled = await acquireLock(lockPath, { runId: 'r1', label: 'stage train' });
    assert.ok(labelled.acquired);
    const written = JSON.parse(await fs.readFile(lockPath, 'utf8')) as Record<string, unknown>;
    assert.equal(written.runId, 'r1');
    assert.equal(written.label, 'stage train');
    assert.equal(labelled.lock.owner.label, 'stage train');
    await labelled.lock.release();

    const plain = await acquireLock(lockPath);
    assert.ok(plain.acquired);
    const bare = JSON.parse(await fs.readFile(lockPath, 'utf8')) as Record<string, unknown>;
    assert.equal('label' in bare, false);
    assert.equal('runId' in bare, false);
    await plain.lock.release();
  });

  it('keeps waiting within timeoutMs while another reclaimer holds the guard, then takes the lock', async () => {
    const lockDir = path.dirname(lockPath);
    await fs.mkdir(lockDir, { recursive: true });
    writeFileSync(lockPath, 'not a lock');
    const guard = path.join(lockDir, `.review.lock.reclaim-ino${(await fs.stat(lockPath)).ino}-1`);
    await fs.mkdir(guard);
    let settled = false;
    const taking = acquireLock(lockPath, { timeoutMs: 60_000 }).finally(() => (settled = true));
    // Its candidate file appears before it first looks at the lock.
    await waitFor('the taker to write its candidate', async () => {
      return (await tempFilesIn(lockDir)).length > 0;
    });
    // Far below timeoutMs: a taker that gave up here gave up early.
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(settled, false, 'still waiting for the other reclaimer');
    await fs.rm(guard, { recursive: true });
    const result = await taking;
    assert.ok(result.acquired);
    assert.equal(result.reclaimedFrom?.why, 'the lock file its content is unreadable');
    await result.lock.release();
  });

  it('leaves no timer running once released, however often its heartbeat was started', async () => {
    const left = await intervalsLeftBy(async () => {
      const result = await acquireLock(lockPath, { heartbeatMs: 60_000 });
      assert.ok(result.acquired);
      result.lock.heartbeat();
      result.lock.heartbeat();
      await result.lock.release();
      result.lock.heartbeat();
    });
    assert.equal(left, 0);
  });

  it('stops its heartbeat timer as soon as it finds the lock lost', async () => {
    let lost = 0;
    let release: (() => Promise<boolean>) | undefined;
    const left = await intervalsLeftBy(async () => {
      const result = await acquireLock(lockPath, { heartbeatMs: 60_000, onLost: () => lost++ });
      assert.ok(result.acquired);
      result.lock.heartbeat();
      await breakLock(lockPath);
      assert.equal(await result.lock.beat(), false);
      release = () => result.lock.release();
    });
    assert.equal(lost, 1);
    assert.equal(left, 0, 'no timer once the loss is known, before any release');
    assert.equal(await release?.(), false);
  });
});
