import * as os from 'node:os';
import * as path from 'node:path';
import { REDIS_URL_ENV, redisUrlOf, UsageError } from '../cliContext';
import type { CliContext, GlobalOptions } from '../cliContext';
import { EXIT } from '../exitCodes';
import { startStageWorker } from '../../worker/stageWorker';
import { deliverPendingStop } from '../../executor/bullmq/stopCourier';
import { QUEUE_NAME_PATTERN } from '@baton/core';

/** Options of `baton worker`. */
export interface WorkerCommandOptions extends GlobalOptions {
  readonly queue: string[];
  readonly concurrency: number;
  readonly name?: string;
  readonly workDir?: string;
  /** This machine's checkout of the pipelines' repository (see docs/executors.md). */
  readonly root?: string;
}

/**
 * `baton worker`: takes stages from bullmq queues and runs them here until
 * SIGTERM or SIGINT. The first signal lets the stages it runs finish (it takes
 * no new ones); a second one kills them, and each is reported ended by that
 * signal, so the orchestrator's retry policy decides what happens next.
 */
export async function workerCommand(
  context: CliContext,
  options: WorkerCommandOptions,
): Promise<number> {
  const url = redisUrlOf(context, options);
  if (url === undefined) {
    throw new UsageError(`baton worker needs a Redis: give --redis <url> or set ${REDIS_URL_ENV}`);
  }
  const queues = options.queue.length > 0 ? options.queue : ['default'];
  const bad = queues.find((queue) => !QUEUE_NAME_PATTERN.test(queue));
  if (bad !== undefined) {
    throw new UsageError(`--queue ${bad}: use letters, digits, '.', '_' and '-' (e.g. gpu)`);
  }
  const name = options.name ?? `${os.hostname()}-${process.pid}`;
  const workDir = path.resolve(
    context.cwd,
    options.workDir ?? path.join(os.homedir(), '.baton-worker', name),
  );
  const worker = await startStageWorker({
    url,
    queues,
    concurrency: options.concurrency,
    name,
    workDir,
    ...(options.root === undefined ? {} : { root: path.resolve(context.cwd, options.root) }),
    env: context.env,
    // Tests (and impatient setups) shorten the lock, so a dead worker is noticed sooner.
    ...lockDurationOf(context),
    log: (line) => context.terminal.line(line),
  });
  await new Promise<void>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      signals += 1;
      const finish = signals === 1;
      context.terminal.line(
        finish
          ? `${signal}: finishing the stages running here, taking no new ones (again to kill them)`
          : `${signal}: killing the stages running here`,
      );
      void worker.close(finish).then(resolve);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  return EXIT.ok;
}

/** `$BATON_WORKER_LOCK_MS`: how long a job's lock lasts without renewal (default 5000). */
function lockDurationOf(context: CliContext): { lockDurationMs?: number } {
  const value = Number(context.env.BATON_WORKER_LOCK_MS);
  return Number.isInteger(value) && value >= 200 ? { lockDurationMs: value } : {};
}

/**
 * `baton deliver-stops <file>` (hidden; Baton starts it): waits for the Redis
 * of `$BATON_REDIS_URL`, delivers the pending stop in `file` and exits
 * (see `stopCourier.ts`). Exit 1 when Redis did not come back in time.
 */
export async function deliverStopsCommand(context: CliContext, file: string): Promise<number> {
  const url = context.env[REDIS_URL_ENV];
  if (url === undefined || url === '') {
    throw new UsageError(`deliver-stops needs ${REDIS_URL_ENV}`);
  }
  const outcome = await deliverPendingStop(path.resolve(context.cwd, file), url);
  return outcome === 'expired' ? EXIT.failed : EXIT.ok;
}
