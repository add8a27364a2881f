import type {
  AnswerValue,
  ComparedStage,
  RunComparison,
  RunStatus,
  RunSummary,
} from '@baton/protocol';
import { runStatusWord, stageStatusWord } from '@baton/protocol';
import { formatClock, formatDuration } from './format';
import { inputsText, runName } from './runLabel';

/** The URI scheme of the read-only Markdown documents that compare two runs. */
export const COMPARE_SCHEME = 'baton-compare';

/** The path of a comparison's document: `/<runId>/<baseRunId or "first">/Compare.md`. */
export function comparePath(runId: string, baseRunId: string | undefined): string {
  return `/${encodeURIComponent(runId)}/${encodeURIComponent(baseRunId ?? 'first')}/Compare.md`;
}

/** The marker of a row whose two sides differ. */
const CHANGED = '●';
/** What a side shows when that run has no such value. */
const NONE = '—';

/**
 * Two runs side by side as one Markdown document (rendered by VS Code's
 * Markdown preview, so it follows the theme and runs no script): the runs,
 * their stages with statuses (up to date among them), durations and the
 * difference, their inputs, and the stages' outputs. The earlier run is on the left. Rows that differ
 * are marked `●`. Pure: `now` only decides how start times are written.
 */
export function comparisonMarkdown(comparison: RunComparison, now: number): string {
  const { run, base } = comparison;
  if (base === undefined) {
    return `# ${runName(run)}\n\n_${runName(run)} is the first run of ${cell(run.pipelineName)}: there is no earlier run to compare it with. Use "Compare with Run…" to pick another run._\n`;
  }
  const left = `#${base.number ?? base.runId.slice(-4)}`;
  const right = `#${run.number ?? run.runId.slice(-4)}`;
  return [
    `# ${cell(runName(run))} compared with ${left}`,
    '',
    runsTable(base, run, left, right, now),
    '## Stages',
    '',
    stagesTable(comparison, left, right),
    '## Inputs',
    '',
    inputsTable(comparison, left, right),
    '## Outputs',
    '',
    outputsTable(comparison, left, right),
  ].join('\n');
}

function runsTable(base: RunSummary, run: RunSummary, left: string, right: string, now: number) {
  const started = (summary: RunSummary) => formatClock(summary.startedAt ?? summary.createdAt, now);
  const ran = (summary: RunSummary) =>
    summary.ranMs === undefined ? NONE : formatDuration(summary.ranMs);
  const delta =
    base.ranMs !== undefined && run.ranMs !== undefined
      ? signedDuration(run.ranMs - base.ranMs)
      : '';
  return table(
    ['', `${left} (earlier)`, right, 'difference'],
    [
      ['run', cell(runName(base)), cell(runName(run)), ''],
      [
        'status',
        runStatusWord(base.status),
        runStatusWord(run.status),
        mark(base.status !== run.status),
      ],
      ['started', started(base), started(run), ''],
      ['ran', ran(base), ran(run), delta],
      ['run id', `\`${base.runId}\``, `\`${run.runId}\``, ''],
    ],
  );
}

function inputsTable(comparison: RunComparison, left: string, right: string): string {
  if (comparison.inputs.length === 0) return '_The pipeline has no inputs._\n';
  return table(
    ['input', left, right, ''],
    comparison.inputs.map((input) => [
      `\`${cell(input.input)}\``,
      valueText(input.base),
      valueText(input.run),
      mark(input.changed),
    ]),
  );
}

function stagesTable(comparison: RunComparison, left: string, right: string): string {
  const baseStatus = comparison.base?.status;
  const runStatus = comparison.run.status;
  return table(
    ['stage', left, right, `${left} took`, `${right} took`, 'difference', ''],
    comparison.stages.map((stage) => [
      `\`${cell(stage.stage)}\``,
      stageWord(stage.base, baseStatus),
      stageWord(stage.run, runStatus),
      tookText(stage.base),
      tookText(stage.run),
      stage.deltaMs === undefined ? '' : signedDuration(stage.deltaMs),
      mark(stage.changed),
    ]),
  );
}

function outputsTable(comparison: RunComparison, left: string, right: string): string {
  const rows: string[][] = [];
  for (const stage of comparison.stages) {
    const before = stage.base?.outputs ?? {};
    const after = stage.run?.outputs ?? {};
    for (const name of [...new Set([...Object.keys(before), ...Object.keys(after)])]) {
      rows.push([
        `\`${cell(stage.stage)}\``,
        `\`${cell(name)}\``,
        valueText(before[name]),
        valueText(after[name]),
        mark(before[name] !== after[name]),
      ]);
    }
  }
  if (rows.length === 0) return '_No stage of either run wrote an output (`$BATON_OUTPUT`)._\n';
  return table(['stage', 'output', left, right, ''], rows);
}

/** `up to date`, `succeeded`, `not started`, … as the tree says it; `—` when that run lacks the stage. */
function stageWord(stage: ComparedStage | undefined, runStatus: RunStatus | undefined): string {
  if (stage === undefined) return NONE;
  return stageStatusWord(
    {
      status: stage.status,
      attempt: stage.attempts,
      ...(stage.upToDate ? { upToDate: 'yes' } : {}),
    },
    runStatus,
  );
}

function tookText(stage: ComparedStage | undefined): string {
  if (stage?.durationMs === undefined) return NONE;
  const attempts = stage.attempts > 1 ? ` (${stage.attempts} attempts)` : '';
  return `${formatDuration(stage.durationMs)}${attempts}`;
}

/** `+1.2s` slower, `−850ms` faster, `±0ms` the same. */
export function signedDuration(ms: number): string {
  if (ms === 0) return '±0ms';
  return `${ms > 0 ? '+' : '−'}${formatDuration(Math.abs(ms))}`;
}

function valueText(value: AnswerValue | undefined): string {
  if (value === undefined) return NONE;
  return cell(inputsText({ v: value }).slice(2));
}

function mark(changed: boolean): string {
  return changed ? CHANGED : '';
}

/** Text made safe inside a Markdown table cell: no pipes, no line breaks, no HTML. */
export function cell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/\r?\n/g, ' ');
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return `${[line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')}\n`;
}
