import { runRanMs } from '@baton/core';
import { runName } from '@baton/protocol';
import { Engine } from '../../engine/engine';
import type { HistoryEntry } from '../../store/historyEntry';
import type { HistoryItem } from '../../store/historyPages';
import type { CliContext, GlobalOptions } from '../cliContext';
import { stateDirOf } from '../cliContext';
import { EXIT } from '../exitCodes';
import { colorRunStatus, formatDuration } from '../terminalFormat';

/** The options of `baton runs`. */
export interface RunsOptions extends GlobalOptions {
  readonly json: boolean;
  readonly limit: number;
  readonly all: boolean;
  readonly pipeline?: string;
}

/** Runs read per page while listing `--all`. */
const PAGE = 200;

/**
 * `baton runs`: runs newest first, from the runs' history entries (so a long
 * history lists fast), `--limit` of them or `--all`, of one `--pipeline` or
 * every one. A damaged or missing entry is read from `run.json` instead and
 * rebuilt, with a warning on stderr.
 */
export async function runsCommand(context: CliContext, options: RunsOptions): Promise<number> {
  const engine = new Engine({ stateDir: stateDirOf(context, options) });
  const problems = engine.on('problem', ({ message }) =>
    context.terminal.error(`warning: ${message}`),
  );
  await engine.recoverInterruptedRuns();
  problems.dispose();
  const items = await readRuns(context, engine, options);
  const now = Date.now();
  if (options.json) {
    const runs = items.map((item) =>
      'entry' in item ? { ...item.entry, durationMs: durationOf(item.entry, now) } : item,
    );
    context.terminal.line(JSON.stringify({ runs }, null, 2));
    return EXIT.ok;
  }
  const { colors } = context.terminal;
  if (items.length === 0) context.terminal.line(`No runs in ${engine.files.stateDir}.`);
  for (const item of items) {
    if (!('entry' in item)) {
      context.terminal.line(`${item.runId}  ${colors.red('unreadable')}  ${item.error}`);
      continue;
    }
    const { entry } = item;
    const started =
      entry.startedAt === undefined ? '-' : new Date(entry.startedAt).toLocaleString();
    context.terminal.line(
      `${entry.runId}  ${colorRunStatus(entry.status, colors, 11)} ${labelOf(entry).padEnd(24)} ${started}  ${formatDuration(durationOf(entry, now) ?? NaN)}`,
    );
  }
  return EXIT.ok;
}

async function readRuns(
  context: CliContext,
  engine: Engine,
  options: RunsOptions,
): Promise<HistoryItem[]> {
  const items: HistoryItem[] = [];
  let cursor: string | undefined;
  do {
    const wanted = options.all ? PAGE : Math.min(PAGE, options.limit - items.length);
    const page = await engine.files.readHistoryPage({
      limit: wanted,
      ...(options.pipeline === undefined ? {} : { pipelineId: options.pipeline }),
      ...(cursor === undefined ? {} : { cursor }),
    });
    for (const warning of page.warnings) context.terminal.error(`warning: ${warning}`);
    // The rebuilt entries are written before the command ends, so the next listing uses them.
    for (const problem of await page.rebuilding) context.terminal.error(`warning: ${problem}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined && (options.all || items.length < options.limit));
  return items;
}

/** `Literature review #14 · pillars=ALL`: the run's name and the inputs that differ from the defaults. */
function labelOf(entry: HistoryEntry): string {
  const name = runName({
    pipelineName: entry.pipelineName,
    runId: entry.runId,
    ...(entry.number === undefined ? {} : { number: entry.number }),
  });
  const inputs = Object.entries(entry.changedInputs ?? {})
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('|') : String(value)}`)
    .join(', ');
  return inputs === '' ? name : `${name} · ${inputs}`;
}

/** How long the run ran (its goes added up; to now while it runs), as the editor shows it. */
function durationOf(entry: HistoryEntry, now: number): number | undefined {
  return entry.startedAt === undefined ? undefined : runRanMs(entry, now);
}
