import type { StageExecutor } from './stageExecutor';

/**
 * The remote executors a process can offer its stages: the bullmq one when a
 * Redis connection is given, none otherwise. BullMQ is loaded only then, so
 * commands and servers without remote stages never pay for it.
 */
export async function remoteExecutorsFor(redisUrl: string | undefined): Promise<StageExecutor[]> {
  if (redisUrl === undefined) return [];
  const { createBullmqExecutor } = await import('./bullmq/bullmqExecutor.js');
  return [createBullmqExecutor({ url: redisUrl })];
}
