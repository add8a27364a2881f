import type { Diagnostic, Pipeline } from '@baton/core';
import { EngineError } from '../engine/engineErrors';

/** Where the Redis connection of the bullmq executor comes from, for messages. */
export const REDIS_CONNECTION_HINT = 'give --redis <url> or set BATON_REDIS_URL';

/**
 * Problems with where a pipeline's stages run, found before a run starts: a
 * stage on a remote executor that this process has no connection for. One
 * error per stage, at the stage, so the editor underlines each.
 * `configured` holds the executor types that can run stages here (`local` always).
 */
export function executorDiagnostics(
  pipeline: Pipeline,
  configured: ReadonlySet<string>,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const spec of pipeline.stages) {
    const executor = spec.executor;
    if (executor?.type !== 'bullmq' || configured.has(executor.type)) continue;
    const position = spec.position ?? { line: 1, column: 1 };
    diagnostics.push({
      file: pipeline.file,
      line: position.line,
      column: position.column,
      endLine: position.line,
      endColumn: position.column + spec.id.length,
      severity: 'error',
      code: 'no-executor-connection',
      message: `stage '${spec.id}' runs on the bullmq queue '${executor.queue}', but no Redis connection is configured: ${REDIS_CONNECTION_HINT}.`,
    });
  }
  return diagnostics;
}

/**
 * Refuses a pipeline with a stage on an executor this process cannot reach,
 * before anything of its run exists: an `invalidPipeline` error with one
 * diagnostic per such stage.
 */
export function requireExecutors(pipeline: Pipeline, configured: ReadonlySet<string>): void {
  const diagnostics = executorDiagnostics(pipeline, configured);
  const first = diagnostics[0];
  if (first === undefined) return;
  throw new EngineError('invalidPipeline', first.message, diagnostics);
}
