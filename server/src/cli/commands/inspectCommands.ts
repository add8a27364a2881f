import { isPipelineFile, isStoppedRunStatus, parsePipeline } from '@baton/core';
import type { RunSnapshot, RunState } from '@baton/core';
import { executorConditionText, runName, stageStatusWord } from '@baton/protocol';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { glob } from 'tinyglobby';
import { Engine } from '../../engine/engine';
import { replayChanges } from '../../engine/replayChanges';
import { MAX_LOG_SLICE } from '../../store/logWriter';
import type { CliContext, GlobalOptions } from '../cliContext';
import { stateDirOf, UsageError } from '../cliContext';
import { EXIT } from '../exitCodes';
import { colorRunStatus, formatDuration, progressBar, stageIcon } from '../terminalFormat';

export { runsCommand } from './runsCommand';

/** `baton status [runId]`: one run's stages (the newest run when no id is given). */
export async function statusCommand(
  context: CliContext,
  runId: string | undefined,
  options: GlobalOptions & { json: boolean },
): Promise<number> {
  const engine = new Engine({ stateDir: stateDirOf(context, options) });
  await engine.recoverInterruptedRuns();
  const id = runId ?? (await engine.files.listRunIds())[0];
  if (id === undefined) throw new UsageError(`there are no runs in ${engine.files.stateDir}`);
  const snap = await engine.getSnapshot(id);
  if (options.json) {
    context.terminal.line(JSON.stringify(snap, null, 2));
    return EXIT.ok;
  }
  printSnapshot(context, snap);
  return EXIT.ok;
}

function printSnapshot(context: CliContext, snap: RunSnapshot): void {
  const { colors } = context.terminal;
  context.terminal.line(
    `${colors.bold(runName(snap))}  run ${snap.runId}  ${colorRunStatus(snap.status, colors)}  ${formatDuration(snap.durationMs ?? NaN)}`,
  );
  if (snap.reason !== undefined) context.terminal.line(`  ${snap.reason}`);
  for (const stage of snap.stages) {
    const percent = stage.status === 'succeeded' ? 100 : stage.progress?.percent;
    const bar = percent === undefined ? ' '.repeat(16) : progressBar(percent, 16);
    const detail = stage.reason ?? stage.progress?.message ?? '';
    const attempt =
      (stage.attempt > 1 ? ` (attempt ${stage.attempt})` : '') +
      (stage.executorCondition !== undefined && stage.status === 'running'
        ? ` ${executorConditionText(stage.executorCondition)}`
        : stage.where === undefined
          ? ''
          : ` on ${stage.where}`);
    context.terminal.line(
      `  ${stageIcon(stage.status, colors)} ${stage.id.padEnd(20)} ${stageStatusWord(stage, snap.status).padEnd(11)} ${bar} ${formatDuration(stage.durationMs ?? NaN).padStart(7)}${attempt} ${colors.dim(detail)}`,
    );
  }
  for (const prompt of snap.prompts) {
    context.terminal.line(
      `  ? ${prompt.id}: ${prompt.message}  (baton answer ${snap.runId} ${prompt.id} <value>)`,
    );
  }
}

/** `baton logs <runId> [stage]`: the stage logs of a run (last attempt of each), optionally followed. */
export async function logsCommand(
  context: CliContext,
  runId: string,
  stage: string | undefined,
  options: GlobalOptions & { follow: boolean },
): Promise<number> {
  const engine = new Engine({ stateDir: stateDirOf(context, options) });
  const state = await engine.getRunState(runId);
  const stages = stage === undefined ? state.pipeline.stages.map((s) => s.id) : [stage];
  if (stage !== undefined && !state.stages[stage]) {
    throw new UsageError(
      `run ${runId} has no stage ${stage}; stages: ${Object.keys(state.stages).join(', ')}`,
    );
  }
  if (!options.follow) {
    // The run's own notes (who gave or answered its inputs) come first, as they happened first.
    const notes =
      stage === undefined
        ? await readWhole((from) => engine.files.readRunLog(runId, from, MAX_LOG_SLICE))
        : '';
    for (const line of notes.split('\n').slice(0, -1)) context.terminal.line(line);
    // Among notes or other stages, each line says whose it is.
    const prefixed = stages.length > 1 || notes !== '';
    for (const id of stages) {
      const attempt = state.stages[id]?.attempt ?? 0;
      if (attempt === 0) continue;
      const text = await readWhole((from) =>
        engine.files.readLog(runId, id, attempt, from, MAX_LOG_SLICE),
      );
      for (const line of text.split('\n').slice(0, -1))
        context.terminal.line(prefixed ? `[${id}] ${line}` : line);
    }
    return EXIT.ok;
  }
  return followLogs(context, engine, state, stage);
}

/** A whole log (a stage attempt's, or the run's own), read a slice at a time. */
async function readWhole(
  read: (from: number) => Promise<{ text: string; eof: boolean; nextOffset: number }>,
): Promise<string> {
  let text = '';
  for (let offset = 0; ;) {
    const slice = await read(offset);
    text += slice.text;
    if (slice.eof || slice.nextOffset === offset) return text;
    offset = slice.nextOffset;
  }
}

/** How often `logs -f` checks that the run's owner still lives (its death writes no file). */
const OWNER_CHECK_MS = 1000;

/**
 * Prints every log of the run (new attempts included) as it grows, until the
 * run's event log says it stopped, or its owner died without saying so (then
 * it says how to resume and exits 1: following a run nobody runs would never
 * end). The run's events are replayed through the core to know its status.
 */
async function followLogs(
  context: CliContext,
  engine: Engine,
  start: RunState,
  stage: string | undefined,
): Promise<number> {
  const follower = engine.files.followRun(start.runId, {
    afterSeq: start.seq,
    logsFrom: 'start',
    ...(stage === undefined ? {} : { stage }),
  });
  let ownerGone = false;
  let ownerCheck: NodeJS.Timeout | undefined;
  const stopped = new Promise<void>((resolve) => {
    let state = start;
    if (isStoppedRunStatus(state.status)) resolve();
    follower.on('event', (event) => {
      state = replayChanges(state, [event]).at(-1)?.after ?? state;
      if (isStoppedRunStatus(state.status)) resolve();
    });
    // Two looks in a row without a live owner, and a run still not stopped on disk, mean it
    // died: a run is between its folder and its owner only for an instant, and an owner that
    // lets go after a normal end has written that end first.
    let misses = 0;
    ownerCheck = setInterval(() => {
      void ownerLives(engine, start.runId).then((lives) => {
        misses = lives ? 0 : misses + 1;
        if (misses < 2) return;
        ownerGone = true;
        resolve();
      });
    }, OWNER_CHECK_MS);
  });
  follower.on('log', ({ stage: id, text }) => {
    for (const line of text.replace(/\r?\n$/, '').split(/\r?\n/))
      context.terminal.line(stage === undefined ? `[${id}] ${line}` : line);
  });
  // The run's own notes are Baton's, not a stage's: no stage prefix (followed only without a stage).
  follower.on('runLog', ({ text }) => {
    for (const line of text.replace(/\r?\n$/, '').split(/\r?\n/)) context.terminal.line(line);
  });
  await follower.ready();
  await stopped;
  clearInterval(ownerCheck);
  // What the stages wrote before the run stopped is read to its end before leaving.
  await follower.close();
  if (!ownerGone) return EXIT.ok;
  context.terminal.error(
    `run ${start.runId}: its owner is gone and the run did not finish; resume it with: baton resume ${start.runId}`,
  );
  return EXIT.failed;
}

/** Whether the run's owner lives, or the run stopped on disk anyway (then there is nothing to wait for). */
async function ownerLives(engine: Engine, runId: string): Promise<boolean> {
  if (await engine.files.isRunOwnerAlive(runId)) return true;
  const state = await engine.getRunState(runId).catch(() => undefined);
  return state === undefined || isStoppedRunStatus(state.status);
}

/** `baton list`: the pipeline files under the current directory with their validation state. */
export async function listCommand(
  context: CliContext,
  options: { json: boolean },
): Promise<number> {
  const files = (
    await glob(['**/*.pipeline.{yaml,yml,json}'], {
      cwd: context.cwd,
      ignore: ['**/node_modules/**', '**/.baton/**', '**/.git/**'],
    })
  )
    .filter(isPipelineFile)
    .sort();
  const results = await Promise.all(
    files.map(async (file) => {
      const text = await fs.readFile(path.join(context.cwd, file), 'utf8');
      const parsed = parsePipeline(text, file);
      return { file, pipeline: parsed.pipeline, diagnostics: parsed.diagnostics };
    }),
  );
  if (options.json) {
    const pipelines = results.map((r) => ({
      file: r.file,
      id: r.pipeline?.id,
      name: r.pipeline?.name,
      stages: r.pipeline?.stages.map((s) => s.id),
      diagnostics: r.diagnostics,
    }));
    context.terminal.line(JSON.stringify({ pipelines }, null, 2));
    return EXIT.ok;
  }
  const { colors } = context.terminal;
  if (results.length === 0)
    context.terminal.line('No *.pipeline.yaml, *.pipeline.yml or *.pipeline.json files here.');
  const width = Math.max(0, ...results.map((result) => result.file.length)) + 2;
  for (const result of results) {
    const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
    const verdict = errors === 0 ? 'valid' : `${errors} error${errors === 1 ? '' : 's'}`;
    const paint = errors === 0 ? colors.green : colors.red;
    const count = result.pipeline?.stages.length ?? 0;
    const what = result.pipeline
      ? `${result.pipeline.name} (${count} stage${count === 1 ? '' : 's'})`
      : '';
    context.terminal.line(`${result.file.padEnd(width)}${paint(verdict.padEnd(10))} ${what}`);
  }
  return EXIT.ok;
}
