import { parseUnitName } from '@baton/core';
import { Engine } from '../../engine/engine';
import { loadPipeline } from '../../engine/pipelineFile';
import { RecordStore } from '../../incremental/recordStore';
import type { CliContext, GlobalOptions } from '../cliContext';
import { stateDirOf, UsageError } from '../cliContext';
import { parseInputs } from './runCommands';

/** Options of `baton why`. */
export interface WhyOptions extends GlobalOptions {
  readonly input: readonly string[];
  readonly json: boolean;
}

/**
 * `baton why <file> <stage>`: whether a run would run or skip the stage
 * (or one unit, `<stage>[<item>]`) now, and why, with the recorded success
 * it was compared with.
 */
export async function whyCommand(
  context: CliContext,
  file: string,
  stage: string,
  options: WhyOptions,
): Promise<number> {
  const engine = new Engine({ stateDir: stateDirOf(context, options) });
  // `papers[a/b.pdf]` and `papers[a%2Fb.pdf]` name the same unit; its whole
  // stage is planned, so an unknown item is told with the items there are.
  const named = parseUnitName(await loadPipeline(file), stage);
  const id = typeof named === 'object' ? named.unit : stage;
  const plan = await engine.planRun({
    file,
    inputs: parseInputs(options.input),
    selection: { stages: [typeof named === 'object' ? named.stage : stage] },
  });
  const unit = plan.units.find((u) => u.unit === id);
  if (unit === undefined && typeof named === 'object') {
    const items = plan.units.filter((u) => u.unit.startsWith(`${named.stage}[`)).map((u) => u.unit);
    const listed = items.length === 0 ? 'it has none now' : `its items now are ${items.join(', ')}`;
    throw new UsageError(`no item '${id}' in stage '${named.stage}' of ${file}; ${listed}`);
  }
  if (unit === undefined) throw new UsageError(`no stage '${stage}' in ${file}`);
  if (options.json) {
    context.terminal.write(`${JSON.stringify(unit, null, 2)}\n`);
    return 0;
  }
  const { colors } = context.terminal;
  const verdict = unit.action === 'skip' ? colors.green('skip') : colors.cyan('run');
  const lines = [`${unit.unit}: ${verdict} (${unit.reason})`];
  if (unit.compared !== undefined) {
    const at = new Date(unit.compared.at).toISOString();
    lines.push(colors.dim(`  compared with its success in run ${unit.compared.runId} (${at})`));
  }
  for (const warning of plan.warnings) lines.push(colors.yellow(`warning: ${warning}`));
  context.terminal.write(`${lines.join('\n')}\n`);
  return 0;
}

function kib(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
}

/** `baton cache ls`: each pipeline's record: units, entries, size. */
export function cacheListCommand(
  context: CliContext,
  options: GlobalOptions & { readonly json: boolean },
): number {
  const summaries = new RecordStore(stateDirOf(context, options)).list();
  if (options.json) {
    context.terminal.write(`${JSON.stringify(summaries, null, 2)}\n`);
    return 0;
  }
  if (summaries.length === 0) {
    context.terminal.write('the record is empty\n');
    return 0;
  }
  const lines = summaries.map(
    (s) =>
      `${s.key}  ${s.units} stage${s.units === 1 ? '' : 's'}, ${s.entries} entr${s.entries === 1 ? 'y' : 'ies'}, ${kib(s.bytes)}  ${s.file}`,
  );
  context.terminal.write(`${lines.join('\n')}\n`);
  return 0;
}

/** `baton cache prune`: keeps the newest `keep` entries of each stage. */
export function cachePruneCommand(
  context: CliContext,
  options: GlobalOptions & { readonly keep: number },
): number {
  const removed = new RecordStore(stateDirOf(context, options)).prune(options.keep);
  context.terminal.write(`removed ${removed} record entr${removed === 1 ? 'y' : 'ies'}\n`);
  return 0;
}

/** `baton cache clear [file]`: forgets the whole record, or one pipeline's. */
export async function cacheClearCommand(
  context: CliContext,
  file: string | undefined,
  options: GlobalOptions,
): Promise<number> {
  const store = new RecordStore(stateDirOf(context, options));
  if (file === undefined) {
    const cleared = store.clear();
    context.terminal.write(
      `cleared the record of ${cleared} pipeline${cleared === 1 ? '' : 's'}\n`,
    );
    return 0;
  }
  const pipeline = await loadPipeline(file);
  const cleared = store.clear(store.pipelineDir(pipeline.id, pipeline.file));
  context.terminal.write(
    cleared > 0 ? `cleared the record of ${pipeline.name}\n` : `${pipeline.name} had no record\n`,
  );
  return 0;
}
