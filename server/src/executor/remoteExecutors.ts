import type { StageExecutor } from './stageExecutor';

/** The variable that sets how long Redis may be unreachable before a remote attempt fails. */
export const UNREACHABLE_LIMIT_VARIABLE = 'BATON_EXECUTOR_UNREACHABLE_LIMIT_MS';

/**
 * The remote executors a process can offer its stages: the bullmq one when a
 * Redis connection is given, none otherwise. BullMQ is loaded only then, so
 * commands and servers without remote stages never pay for it.
 * `$BATON_EXECUTOR_UNREACHABLE_LIMIT_MS` (default 5 minutes) is how long
 * Redis may be unreachable before a remote attempt fails. A stop that
 * cannot reach Redis is handed to a courier started from this process's own
 * program, when it is Baton's (see pendingStops.ts).
 */
export async function remoteExecutorsFor(
  redisUrl: string | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<StageExecutor[]> {
  if (redisUrl === undefined) return [];
  const limit = unreachableLimitOf(env);
  const { createBullmqExecutor } = await import('./bullmq/bullmqExecutor.js');
  const { courierOfThisProcess } = await import('./bullmq/pendingStops.js');
  const courier = courierOfThisProcess();
  return [
    createBullmqExecutor({
      url: redisUrl,
      ...(limit === undefined ? {} : { unreachableLimitMs: limit }),
      ...(courier === undefined ? {} : { courier }),
    }),
  ];
}

/** The limit from the environment, undefined when unset; a value that is no whole number of ms is refused. */
function unreachableLimitOf(env: Readonly<Record<string, string | undefined>>): number | undefined {
  const text = env[UNREACHABLE_LIMIT_VARIABLE];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(
      `${UNREACHABLE_LIMIT_VARIABLE} must be a whole number of milliseconds (300000 is 5 minutes), got ${JSON.stringify(text)}`,
    );
  }
  return value;
}
