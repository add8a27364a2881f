/** Whether "Debug Stage" can debug a stage of a run: its runtime, where it runs, what the client can attach. */
import type { Pipeline } from '@baton/core';
import * as P from '@baton/protocol';
import { commandProgram, debugRuntimeOf } from '../../engine/debug/debugLaunch';
import { rpcError } from '../rpcErrors';

/**
 * Throws StageNotDebuggable, with words for the user, unless the stage's
 * command starts `node` or `python` itself, runs on this machine, and the
 * client can attach to its runtime. Nothing has started when it throws.
 */
export function requireDebuggable(
  pipeline: Pipeline,
  stage: string,
  options: P.DebugOptions,
): void {
  const spec = pipeline.stages.find((candidate) => candidate.id === stage);
  if (spec === undefined) {
    throw rpcError(P.ErrorCodes.StageNotFound, `Pipeline ${pipeline.id} has no stage ${stage}`);
  }
  const program = commandProgram(spec.run);
  const runtime = debugRuntimeOf(spec.run) ?? null;
  const data: P.StageNotDebuggableData = { runtime, program };
  if (runtime === null) {
    throw rpcError(
      P.ErrorCodes.StageNotDebuggable,
      `Stage ${stage} cannot be debugged: only Node and Python stages can (a command that starts with node or python), and its command starts with ${JSON.stringify(program)}`,
      data,
    );
  }
  if (spec.executor !== undefined) {
    throw rpcError(
      P.ErrorCodes.StageNotDebuggable,
      `Stage ${stage} cannot be debugged: it runs on a remote worker (executor ${spec.executor.type}), and a debugger attaches on this machine only`,
      data,
    );
  }
  if (!options.attach.includes(runtime)) {
    throw rpcError(
      P.ErrorCodes.StageNotDebuggable,
      `Stage ${stage} is a ${runtime === 'node' ? 'Node' : 'Python'} stage, and this client cannot attach a ${runtime} debugger`,
      data,
    );
  }
}
