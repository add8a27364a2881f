import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../src/engine/engine';
import { createBullmqExecutor } from '../../src/executor/bullmq/bullmqExecutor';
import type { StageExecutor } from '../../src/executor/stageExecutor';
import { StatePaths } from '../../src/store/paths';
import { tempDir } from '../engine/helpers';
import { startTestRedis } from '../helpers/redisServer';
import type { TestRedis } from '../helpers/redisServer';
import { startTestWorker } from '../helpers/workerProcess';
import type { TestWorker } from '../helpers/workerProcess';

/** A real Redis for the suite, and per test a temp workspace, workers and engines, all ended after it. */
export interface BullmqFixture {
  readonly dir: string;
  readonly redis: TestRedis;
  paths(): StatePaths;
  /** An engine on `<dir>/.baton` with the bullmq executor. */
  newEngine(): Engine;
  /** An engine without any remote executor. */
  plainEngine(): Engine;
  /** An engine with these remote executors (closed after the test). */
  engineOn(executors: StageExecutor[]): Engine;
  /**
   * Starts a real `baton worker` process (with the secret REMOTE_TOKEN in its
   * environment, and `env` on top: `BATON_WORKER_LOCK_MS`, say), with more
   * options in `args` (`--root <dir>`).
   */
  worker(
    name: string,
    queues?: string[],
    env?: Readonly<Record<string, string>>,
    args?: readonly string[],
  ): Promise<TestWorker>;
}

/** Registers the mocha hooks of a bullmq suite. */
export function useBullmqFixture(): BullmqFixture {
  let redis: TestRedis | undefined;
  let dir = '';
  let workers: TestWorker[] = [];
  let executors: StageExecutor[] = [];
  let engines: Engine[] = [];
  before(async function () {
    redis = await startTestRedis(this);
  });
  after(async () => {
    await redis?.dispose();
  });
  beforeEach(async () => {
    dir = await tempDir('bullmq');
    workers = [];
    executors = [];
    engines = [];
  });
  afterEach(async () => {
    await Promise.all(engines.map((engine) => engine.interruptAll('test over')));
    await Promise.all(workers.map((worker) => worker.stop('SIGKILL')));
    await Promise.all(executors.map((executor) => executor.close()));
    await fs.rm(dir, { recursive: true, force: true });
  });
  const requireRedis = (): TestRedis => {
    if (redis === undefined) throw new Error('no Redis: the suite was skipped');
    return redis;
  };
  const engineWith = (remote: StageExecutor[]): Engine => {
    const engine = new Engine({
      stateDir: path.join(dir, '.baton'),
      executors: remote,
      settings: { killGraceMs: 500, bareInputSilenceMs: 300 },
    });
    engines.push(engine);
    return engine;
  };
  return {
    get dir() {
      return dir;
    },
    get redis() {
      return requireRedis();
    },
    paths: () => new StatePaths(path.join(dir, '.baton')),
    newEngine: () => {
      const executor = createBullmqExecutor({ url: requireRedis().url, lockLossChecks: 2 });
      executors.push(executor);
      return engineWith([executor]);
    },
    plainEngine: () => engineWith([]),
    engineOn: (remote) => {
      executors.push(...remote);
      return engineWith(remote);
    },
    worker: async (name, queues = ['default'], env = {}, args = []) => {
      const started = await startTestWorker({
        url: requireRedis().url,
        name,
        workDir: path.join(dir, 'workers', name),
        queues,
        env: { REMOTE_TOKEN: 'hunter2-secret', ...env },
        args,
      });
      workers.push(started);
      return started;
    },
  };
}
