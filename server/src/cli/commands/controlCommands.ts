import { parsePipeline } from '@baton/core';
import { promises as fs } from 'node:fs';
import { Engine } from '../../engine/engine';
import { loadPipeline } from '../../engine/pipelineFile';
import { describeOwner } from '../../engine/engineErrors';
import { isRunOwnerAlive } from '../../store/lock';
import type { CliContext, GlobalOptions } from '../cliContext';
import { redisUrlOf, stateDirOf, UsageError } from '../cliContext';
import { executorDiagnostics } from '../../executor/executorCheck';
import { EXIT } from '../exitCodes';
import { formatDiagnostic } from '../terminalFormat';

/** `baton stop <runId>`. */
export async function stopCommand(
  context: CliContext,
  runId: string,
  options: GlobalOptions,
): Promise<number> {
  const engine = new Engine({ stateDir: stateDirOf(context, options) });
  const outcome = await engine.stopRun(
    runId,
    `baton stop (pid ${process.pid})`,
    'stopped with baton stop',
  );
  const messages = {
    stopping: `Stopping run ${runId}.`,
    requested: `Asked the owner of run ${runId} to stop it.`,
    markedInterrupted: `Run ${runId} was not running any more (its owner is gone); it is marked interrupted. Resume it with: baton resume ${runId}`,
    alreadyFinished: `Run ${runId} has already finished.`,
  } as const;
  context.terminal.line(messages[outcome]);
  return EXIT.ok;
}

/** `baton answer <runId> <promptId> <value>`. */
export async function answerCommand(
  context: CliContext,
  runId: string,
  promptId: string,
  value: string,
  options: GlobalOptions,
): Promise<number> {
  const engine = new Engine({ stateDir: stateDirOf(context, options) });
  await engine.answerPrompt(runId, promptId, { text: value }, `baton answer (pid ${process.pid})`);
  context.terminal.line(`Answer to ${promptId} sent to run ${runId}.`);
  return EXIT.ok;
}

/** `baton validate <file>`: prints every diagnostic; exit 2 when there is an error. */
export async function validateCommand(
  context: CliContext,
  file: string,
  options: { json: boolean } & GlobalOptions,
): Promise<number> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error)}`,
    );
  }
  const parsed = parsePipeline(text, file);
  // A stage on a bullmq queue needs a Redis here, as it will when the pipeline runs.
  const configured = new Set(
    redisUrlOf(context, options) === undefined ? ['local'] : ['local', 'bullmq'],
  );
  const result = {
    ...parsed,
    diagnostics: parsed.pipeline
      ? [...parsed.diagnostics, ...executorDiagnostics(parsed.pipeline, configured)]
      : parsed.diagnostics,
  };
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  if (options.json) {
    context.terminal.line(
      JSON.stringify({ file, valid: errors === 0, diagnostics: result.diagnostics }, null, 2),
    );
    return errors === 0 ? EXIT.ok : EXIT.usage;
  }
  for (const diagnostic of result.diagnostics)
    context.terminal.line(formatDiagnostic(diagnostic, context.terminal.colors));
  if (errors > 0) {
    context.terminal.line(`${file}: ${errors} error${errors === 1 ? '' : 's'}`);
    return EXIT.usage;
  }
  const stages = result.pipeline?.stages.length ?? 0;
  context.terminal.line(`${file}: valid (${stages} stage${stages === 1 ? '' : 's'})`);
  return EXIT.ok;
}

/** `baton unlock <pipeline>`: shows who holds the pipeline's lock; breaks it when its owner is dead or with --force. */
export async function unlockCommand(
  context: CliContext,
  pipeline: string,
  options: GlobalOptions & { force: boolean },
): Promise<number> {
  const engine = new Engine({ stateDir: stateDirOf(context, options) });
  const pipelineId = /\.pipeline\.(ya?ml|json)$/.test(pipeline)
    ? (await loadPipeline(pipeline)).id
    : pipeline;
  const owner = await engine.files.readPipelineLock(pipelineId);
  if (!owner) {
    context.terminal.line(`Pipeline ${pipelineId} is not locked.`);
    return EXIT.ok;
  }
  const alive = isRunOwnerAlive(owner);
  context.terminal.line(
    `Pipeline ${pipelineId} is locked by ${describeOwner(owner)} (${alive ? 'alive' : 'dead'}).`,
  );
  if (alive && !options.force) {
    context.terminal.line(
      'Its owner is alive; stop its run with `baton stop`, or break the lock anyway with --force.',
    );
    return EXIT.failed;
  }
  await engine.files.breakPipelineLock(pipelineId);
  context.terminal.line(`Lock of ${pipelineId} removed.`);
  return EXIT.ok;
}
