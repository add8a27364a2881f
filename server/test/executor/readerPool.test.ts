import * as assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { ReaderPool } from '../../src/executor/bullmq/readerPool';
import { startTestRedis } from '../helpers/redisServer';
import type { TestRedis } from '../helpers/redisServer';

describe('ReaderPool: blocking-read connections reused stage after stage', function () {
  this.timeout(30_000);
  let redis: TestRedis;
  let base: Redis;

  before(async function () {
    redis = await startTestRedis(this);
    base = new Redis(redis.url, { maxRetriesPerRequest: null });
    await base.ping();
  });

  after(async () => {
    base?.disconnect();
    await redis?.stop();
  });

  it('hands a released, ready reader to the next stage instead of connecting again', async () => {
    const pool = new ReaderPool(base);
    const first = pool.acquire();
    const id = await first.client('ID');
    // A blocking read that returned leaves the connection free.
    assert.equal(await first.xread('BLOCK', 10, 'STREAMS', 'pool:none', '0'), null);
    pool.release(first);
    const second = pool.acquire();
    assert.equal(second, first);
    assert.equal(await second.client('ID'), id);
    pool.release(second);
    pool.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(second.status, 'end');
  });

  it('closes a reader handed back when it is not ready, or after the pool closed', async () => {
    const pool = new ReaderPool(base);
    const broken = pool.acquire();
    await broken.ping();
    broken.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 50));
    pool.release(broken);
    const late = pool.acquire();
    assert.notEqual(late, broken);
    await late.ping();
    pool.close();
    pool.release(late);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(late.status, 'end');
  });

  it('keeps at most `keep` idle readers', async () => {
    const pool = new ReaderPool(base, 1);
    const [a, b] = [pool.acquire(), pool.acquire()];
    await Promise.all([a.ping(), b.ping()]);
    pool.release(a);
    pool.release(b);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(a.status, 'ready');
    assert.equal(b.status, 'end');
    pool.close();
  });
});
