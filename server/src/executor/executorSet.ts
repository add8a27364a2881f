import type { ExecutorSpec, StageHandle } from '@baton/core';
import type { ExecutorSet, StageExecutor } from './stageExecutor';

/**
 * The executors an engine was given: always the local one, and the remote
 * ones that are configured (BullMQ once a Redis connection is). A pipeline
 * naming an executor that is not configured is refused before it runs
 * (`checkExecutors`), so `forStage` falling back to local is never reached
 * for a remote stage.
 */
export function createExecutorSet(
  local: StageExecutor,
  remote: readonly StageExecutor[] = [],
): ExecutorSet {
  const byType = new Map<string, StageExecutor>([[local.type, local]]);
  for (const executor of remote) byType.set(executor.type, executor);
  return {
    forStage(spec: ExecutorSpec | undefined): StageExecutor {
      const executor = spec === undefined ? local : byType.get(spec.type);
      if (executor === undefined) {
        throw new Error(`no ${spec?.type ?? 'local'} executor is configured`);
      }
      return executor;
    },
    forHandle: (handle: StageHandle) => byType.get(handle.executor),
    pickUpLeftovers: async (runsDir: string) => {
      const counts = await Promise.all(
        [...byType.values()].map((executor) => executor.pickUpLeftovers?.(runsDir) ?? 0),
      );
      return counts.reduce((sum, count) => sum + count, 0);
    },
    close: async () => {
      await Promise.all([...byType.values()].map((executor) => executor.close()));
    },
  };
}
