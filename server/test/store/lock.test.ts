import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { promises as fs, readdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LockOwner } from '../../src/store/lock';
import { acquireLock, breakLock, isRunOwnerAlive, readLock } from '../../src/store/lock';
import { readProcessStartTime, readProcessStat } from '../../src/store/processIdentity';
import { StoreError } from '../../src/store/storeError';
import { waitFor, withDeadline } from '../helpers/waitFor';
import { childResult, makeTempDir, waitForLine } from './helpers';

const LOCK_CHILD = path.join(__dirname, 'lockChild.js');

function startChild(...args: string[]): ChildProcess {
  return spawn(process.execPath, [LOCK_CHILD, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
}

async function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await withDeadline('the child to die', exited);
}

/** A pid that existed and is now gone, with the start time it had. */
async function deadProcess(): Promise<{ pid: number; processStartTime: string }> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  const pid = child.pid ?? 0;
  const processStartTime = await (async () => {
    for (;;) {
      const start = readProcessStartTime(pid);
      if (start !== undefined) return start;
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  await killAndWait(child);
  return { pid, processStartTime };
}

function writeLockFile(file: string, owner: Partial<LockOwner>): void {
  const now = Date.now();
  const full = {
    token: 'feedfacecafe0001',
    host: os.hostname(),
    pid: 1,
    startedAt: now,
    heartbeatAt: now,
    ...owner,
  };
  writeFileSync(file, JSON.stringify(full));
}

async function ageFile(file: string, ms: number): Promise<void> {
  const then = new Date(Date.now() - ms);
  await fs.utimes(file, then, then);
}

describe('locks', () => {
  let dir: string;
  let cleanup: () => void;
  let lockPath: string;
  const children: ChildProcess[] = [];
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir('baton-lock-'));
    lockPath = path.join(dir, 'locks', 'review.lock');
  });
  afterEach(async () => {
    await Promise.all(children.splice(0).map(killAndWait));
    cleanup();
  });

  it('is taken, refused to a second taker, released, and taken again', async () => {
    const first = await acquireLock(lockPath, { runId: 'r1' });
    assert.ok(first.acquired);
    assert.equal(first.reclaimedFrom, undefined);
    assert.equal((await fs.stat(lockPath)).mode & 0o777, 0o600);
    const owner = await readLock(lockPath);
    assert.equal(owner?.pid, process.pid);
    assert.equal(owner?.runId, 'r1');
    assert.equal(owner?.processStartTime, readProcessStartTime(process.pid));
    const second = await acquireLock(lockPath);
    assert.equal(second.acquired, false);
    assert.equal(second.acquired ? undefined : second.owner.token, first.lock.owner.token);
    assert.equal(await first.lock.release(), true);
    assert.equal(await readLock(lockPath), undefined);
    const third = await acquireLock(lockPath);
    assert.ok(third.acquired);
    await third.lock.release();
  });

  it('never takes a live owner’s lock, even with an old heartbeat', async () => {
    const child = startChild('hold', lockPath);
    children.push(child);
    const line = await waitForLine(child, (l) => l.startsWith('{'), 'the child to take the lock');
    assert.deepEqual(JSON.parse(line), { acquired: true, pid: child.pid });
    await ageFile(lockPath, 3_600_000);
    const result = await acquireLock(lockPath, { staleMs: 1 });
    assert.equal(result.acquired, false);
    assert.equal(result.acquired ? 0 : result.owner.pid, child.pid);
    assert.equal(isRunOwnerAlive(result.acquired ? ({} as LockOwner) : result.owner), true);
  });

  it('reclaims the lock of a killed owner and says so', async () => {
    const child = startChild('hold', lockPath);
    children.push(child);
    await waitForLine(child, (l) => l.startsWith('{'), 'the child to take the lock');
    await killAndWait(child);
    const owner = await readLock(lockPath);
    assert.equal(owner?.pid, child.pid);
    assert.equal(isRunOwnerAlive(owner as LockOwner), false);
    const result = await acquireLock(lockPath);
    assert.ok(result.acquired);
    assert.equal(result.reclaimedFrom?.owner?.pid, child.pid);
    assert.match(result.reclaimedFrom?.why ?? '', new RegExp(`process ${child.pid} is gone`));
    await result.lock.release();
  });

  it('reclaims the lock of an owner that exited but was not reaped yet (a zombie)', async () => {
    // sh starts the holder in the background, then becomes `sleep`, which never reaps it.
    const parent = spawn(
      '/bin/sh',
      ['-c', `"$0" "$1" hold "$2" & exec sleep 60`, process.execPath, LOCK_CHILD, lockPath],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    children.push(parent);
    await waitForLine(parent, (l) => l.startsWith('{'), 'the holder to take the lock');
    const owner = await readLock(lockPath);
    assert.ok(owner !== undefined && owner.pid !== parent.pid);
    process.kill(owner.pid, 'SIGKILL');
    await waitFor('the holder to become a zombie', () => readProcessStat(owner.pid)?.state === 'Z');
    const result = await acquireLock(lockPath);
    assert.ok(result.acquired);
    assert.match(result.reclaimedFrom?.why ?? '', /has exited \(not yet reaped\)/);
    await result.lock.release();
  });

  it('reclaims a lock whose pid now belongs to another process', async () => {
    await fs.mkdir(path.dirname(lockPath), { recursive: true });
    writeLockFile(lockPath, { pid: process.pid, processStartTime: '1' });
    const result = await acquireLock(lockPath);
    assert.ok(result.acquired);
    assert.match(result.reclaimedFrom?.why ?? '', /belongs to another process/);
    await result.lock.release();
  });

  it('reclaims a stale heartbeat when the owner cannot be checked, not a fresh one', async () => {
    await fs.mkdir(path.dirname(lockPath), { recursive: true });
    const old = Date.now() - 60_000;
    writeLockFile(lockPath, { host: 'elsewhere.example', heartbeatAt: Date.now() });
    const fresh = await acquireLock(lockPath, { staleMs: 30_000 });
    assert.equal(fresh.acquired, false);
    writeLockFile(lockPath, { host: 'elsewhere.example', heartbeatAt: old });
    await ageFile(lockPath, 60_000);
    const stale = await acquireLock(lockPath, { staleMs: 30_000 });
    assert.ok(stale.acquired);
    assert.equal(stale.reclaimedFrom?.owner?.host, 'elsewhere.example');
    assert.match(stale.reclaimedFrom?.why ?? '', /another host .* last heartbeat was 60 s ago/);
    await stale.lock.release();
  });

  it('reclaims a lock file with unreadable content', async () => {
    await fs.mkdir(path.dirname(lockPath), { recursive: true });
    writeFileSync(lockPath, '{"pid": 12');
    await assert.rejects(
      readLock(lockPath),
      (e: unknown) => e instanceof StoreError && e.code === 'ECORRUPT',
    );
    const result = await acquireLock(lockPath);
    assert.ok(result.acquired);
    assert.equal(result.reclaimedFrom?.owner, undefined);
    assert.equal(result.reclaimedFrom?.why, 'the lock file its content is unreadable');
    await result.lock.release();
  });

  it('refreshes the heartbeat through its own file, and notices when the lock was broken', async () => {
    const lost: string[] = [];
    const result = await acquireLock(lockPath, { onLost: (why) => lost.push(why) });
    assert.ok(result.acquired);
    await ageFile(lockPath, 120_000);
    const before = (await fs.stat(lockPath)).mtimeMs;
    assert.equal(await result.lock.beat(), true);
    const after = (await fs.stat(lockPath)).mtimeMs;
    assert.ok(after - before > 100_000, 'heartbeat moved forward');
    const broken = await breakLock(lockPath);
    assert.equal(broken.owner?.token, result.lock.owner.token);
    const other = await acquireLock(lockPath);
    assert.ok(other.acquired);
    assert.equal(await result.lock.beat(), false);
    assert.equal(lost.length, 1);
    assert.equal(await result.lock.release(), false, 'release leaves a lock that is not ours');
    assert.equal((await readLock(lockPath))?.token, other.lock.owner.token);
    await other.lock.release();
  });

  it('waits while another process reclaims the same dead lock, then takes it', async () => {
    const { pid, processStartTime } = await deadProcess();
    await fs.mkdir(path.dirname(lockPath), { recursive: true });
    writeLockFile(lockPath, { pid, processStartTime });
    const guard = path.join(path.dirname(lockPath), '.review.lock.reclaim-feedfacecafe0001-1');
    await fs.mkdir(guard);
    const taking = acquireLock(lockPath, { timeoutMs: 60_000 });
    // The other reclaimer finishes (its guard goes) while this one waits for it.
    setTimeout(() => void fs.rm(guard, { recursive: true, force: true }), 100);
    const result = await taking;
    assert.ok(result.acquired);
    assert.match(result.reclaimedFrom?.why ?? '', /is gone/);
    await result.lock.release();
  });

  it('keeps no file descriptor and no temp file of a refused or released lock', async () => {
    const openFds = (): number => readdirSync('/proc/self/fd').length;
    const held = await acquireLock(lockPath);
    assert.ok(held.acquired);
    const before = openFds();
    for (let i = 0; i < 20; i++) assert.equal((await acquireLock(lockPath)).acquired, false);
    assert.equal(openFds(), before, 'a refused acquire closes its candidate');
    assert.equal(await held.lock.release(), true);
    assert.equal(openFds(), before - 1, 'a release closes the lock file');
    assert.deepEqual(await fs.readdir(path.dirname(lockPath)), []);
  });

  it('beats on its own every heartbeatMs, reports a lost lock once, and never beats after release', async () => {
    const lost: string[] = [];
    const result = await acquireLock(lockPath, {
      heartbeatMs: 10,
      onLost: (why) => lost.push(why),
    });
    assert.ok(result.acquired);
    await ageFile(lockPath, 120_000);
    const aged = (await fs.stat(lockPath)).mtimeMs;
    result.lock.heartbeat();
    result.lock.heartbeat(); // a second call keeps the one timer
    await waitFor('the heartbeat to refresh the lock file', async () => {
      return (await fs.stat(lockPath)).mtimeMs > aged + 100_000;
    });
    assert.equal(await result.lock.beat(), true);
    assert.deepEqual(lost, [], 'a lock still held is not lost');
    await breakLock(lockPath);
    await waitFor('the heartbeat to notice the lock is gone', () => lost.length === 1);
    assert.equal(await result.lock.beat(), false);
    assert.deepEqual(lost, [`lock ${lockPath} was removed or taken over by another process`]);
    assert.equal(await result.lock.release(), false);

    const again = await acquireLock(lockPath, { heartbeatMs: 10 });
    assert.ok(again.acquired);
    assert.equal(await again.lock.release(), true);
    again.lock.heartbeat();
    assert.equal(await again.lock.beat(), false, 'a released lock does not beat');
    assert.equal(await again.lock.isHeld(), false);
    assert.equal(await again.lock.release(), false, 'a second release removes nothing');
  });

  it('skips a reclaim guard left by a reclaimer that died, and gives up on a live one', async () => {
    const { pid, processStartTime } = await deadProcess();
    await fs.mkdir(path.dirname(lockPath), { recursive: true });
    writeLockFile(lockPath, { pid, processStartTime });
    const guard = path.join(path.dirname(lockPath), '.review.lock.reclaim-feedfacecafe0001-1');
    await fs.mkdir(guard);
    await assert.rejects(
      acquireLock(lockPath, { timeoutMs: 100 }),
      (e: unknown) =>
        e instanceof StoreError &&
        e.code === 'EBUSY' &&
        e.message === `another process is still reclaiming lock ${lockPath}`,
    );
    // A neighbour in the lock directory is no business of the reclaim.
    const neighbour = path.join(path.dirname(lockPath), 'other.lock');
    writeFileSync(neighbour, 'x');
    await ageFile(guard, 60_000);
    const result = await acquireLock(lockPath);
    assert.ok(result.acquired);
    assert.match(result.reclaimedFrom?.why ?? '', /is gone/);
    assert.deepEqual(
      (await fs.readdir(path.dirname(lockPath))).filter((n) => n.includes('reclaim')),
      [],
    );
    assert.equal(await fs.readFile(neighbour, 'utf8'), 'x');
    await result.lock.release();
  });

  async function race(rounds: number, racers: number): Promise<string[][]> {
    const lockDir = path.dirname(lockPath);
    await fs.mkdir(lockDir, { recursive: true });
    const started = Array.from({ length: racers }, () =>
      startChild('race', lockDir, String(rounds)),
    );
    children.push(...started);
    await Promise.all(started.map((c) => waitForLine(c, (l) => l === 'ready', 'a racer to start')));
    const outcomes = started.map((c) =>
      waitForLine(c, (l) => l.startsWith('['), 'a racer to finish', 60_000),
    );
    for (const child of started) child.stdin?.write('go\n');
    const results = (await Promise.all(outcomes)).map((line) => JSON.parse(line) as string[]);
    for (const child of started) child.stdin?.end();
    await Promise.all(started.map((c) => childResult(c, 'a racer to exit')));
    return results;
  }

  it('lets exactly one of several processes win each of many races', async function () {
    this.timeout(60_000);
    const rounds = 60;
    const results = await race(rounds, 3);
    for (let round = 0; round < rounds; round++) {
      const column = results.map((outcomes) => outcomes[round]);
      assert.equal(
        column.filter((o) => o === 'won').length,
        1,
        `round ${round}: ${column.join(', ')}`,
      );
      assert.equal(
        column.filter((o) => o === 'lost').length,
        2,
        `round ${round}: ${column.join(', ')}`,
      );
    }
  });

  it('lets exactly one of several processes reclaim each dead owner’s lock', async function () {
    this.timeout(60_000);
    const rounds = 40;
    const dead = await deadProcess();
    await fs.mkdir(path.dirname(lockPath), { recursive: true });
    for (let round = 0; round < rounds; round++) {
      const token = `dead${String(round).padStart(8, '0')}`;
      writeLockFile(path.join(path.dirname(lockPath), `round-${round}.lock`), { ...dead, token });
    }
    const results = await race(rounds, 3);
    for (let round = 0; round < rounds; round++) {
      const column = results.map((outcomes) => outcomes[round]);
      assert.equal(
        column.filter((o) => o === 'reclaimed').length,
        1,
        `round ${round}: ${column.join(', ')}`,
      );
      assert.equal(
        column.filter((o) => o === 'lost').length,
        2,
        `round ${round}: ${column.join(', ')}`,
      );
    }
  });
});
