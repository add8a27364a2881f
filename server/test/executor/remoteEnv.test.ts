import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { Redis } from 'ioredis';
import { writePipeline } from '../engine/helpers';
import { useBullmqFixture } from './bullmqFixture';

/** Every value Redis holds, as text: strings, hash fields and stream entries. */
async function everythingInRedis(url: string): Promise<string> {
  const redis = new Redis(url);
  try {
    const parts: string[] = [];
    for (const key of await redis.keys('*')) {
      const type = await redis.type(key);
      if (type === 'string') parts.push((await redis.get(key)) ?? '');
      if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
      if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
      if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
    }
    return parts.join('\n');
  } finally {
    redis.disconnect();
  }
}

describe("bullmq executor: a remote stage's environment is its worker's, with Baton's layers on top", function () {
  this.timeout(60_000);
  const fx = useBullmqFixture();
  // Names without the BATON_ prefix: a worker drops its own BATON_* settings from stages.
  const onlyHere = 'REMOTE_ENV_TEST_ORCHESTRATOR_ONLY';
  const shared = 'REMOTE_ENV_TEST_SHARED';

  afterEach(() => {
    delete process.env[onlyHere];
    delete process.env[shared];
  });

  it("leaves the orchestrator's own variables behind, out of Redis; the pipeline's env and exported PATH travel", async () => {
    const workerPath = `${process.env.PATH ?? ''}${path.delimiter}/worker-only/bin`;
    await fx.worker('w1', ['default'], { [shared]: 'worker-value', PATH: workerPath });
    // Set after the worker started: only the orchestrator (this process) has them.
    process.env[onlyHere] = 'orchestrator-token-7f3a';
    process.env[shared] = 'orchestrator-value';
    const engine = fx.newEngine();
    const file = await writePipeline(
      fx.dir,
      'p',
      `
env: { DECLARED: from-pipeline }
stages:
  tools:
    run: 'echo /exported/bin >> "$GITHUB_PATH"'
  remote:
    needs: [tools]
    executor: { type: bullmq, queue: default }
    run: |
      echo "only=\${${onlyHere}:-unset}" >> "$BATON_OUTPUT"
      echo "shared=$${shared}" >> "$BATON_OUTPUT"
      echo "declared=$DECLARED" >> "$BATON_OUTPUT"
      echo "path=$PATH" >> "$BATON_OUTPUT"
      echo "redis=\${BATON_REDIS_URL:-unset}" >> "$BATON_OUTPUT"
`,
    );
    const handle = await engine.startRun({ file, interactive: false });
    const status = await handle.finished;
    const state = await engine.getRunState(handle.runId);
    assert.equal(status, 'succeeded', JSON.stringify(state.stages.remote));
    assert.deepEqual(state.stages.remote?.outputs, {
      only: 'unset',
      shared: 'worker-value',
      declared: 'from-pipeline',
      path: `/exported/bin${path.delimiter}${workerPath}`,
      redis: 'unset',
    });
    const stored = await everythingInRedis(fx.redis.url);
    assert.ok(stored.includes('from-pipeline'), 'the job data was found in Redis');
    assert.ok(
      !stored.includes('orchestrator-token-7f3a'),
      "the orchestrator's variable is in Redis",
    );
    assert.ok(!stored.includes('orchestrator-value'), "the orchestrator's variable is in Redis");
  });
});
