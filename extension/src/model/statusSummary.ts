import { runStatusWord } from '@baton/protocol';
import { runLabel } from './runLabel';
import { runProgress } from './runProgress';
import { isActiveRun } from './runStatus';
import type { RunView } from './runView';

/** Longest run label the status bar shows. */
const STATUS_LABEL_LENGTH = 32;

/** What the status bar item shows. */
export interface StatusSummary {
  /** Text with `$(codicon)` references. */
  readonly text: string;
  readonly tooltip: string;
  /** True when a prompt waits for an answer: the item is highlighted. */
  readonly attention: boolean;
}

/** Summarises active runs, their overall progress and the number of open prompts for the status bar. */
export function statusSummary(runs: readonly RunView[]): StatusSummary {
  const active = runs.filter((run) => isActiveRun(run.summary.status));
  const prompts = runs.reduce((sum, run) => sum + run.prompts.length, 0);
  const promptBadge = prompts > 0 ? ` $(bell-dot) ${prompts}` : '';
  const promptLine =
    prompts > 0 ? `\n${prompts} question${prompts === 1 ? '' : 's'} waiting for an answer` : '';
  if (active.length === 0) {
    return {
      text: `$(list-tree) Baton${promptBadge}`,
      tooltip: `Baton: no active runs${promptLine}`,
      attention: prompts > 0,
    };
  }
  let done = 0;
  let total = 0;
  let units = 0;
  for (const run of active) {
    const progress = runProgress(run);
    done += progress.done;
    total += progress.total;
    units += (progress.percent / 100) * progress.total;
  }
  const percent = total === 0 ? 0 : Math.floor((units / total) * 100);
  // One run is named (short, so the status bar does not cut it); several are counted.
  const only = active.length === 1 ? active[0] : undefined;
  const runsText = only
    ? runLabel(only.summary, STATUS_LABEL_LENGTH)
    : `Baton: ${active.length} runs`;
  const lines = active.map((run) => {
    const progress = runProgress(run);
    return `${runLabel(run.summary)}: ${runStatusWord(run.summary.status)}, ${progress.done}/${progress.total} stages`;
  });
  return {
    text: `$(sync~spin) ${runsText} · ${percent}%${promptBadge}`,
    tooltip: `${lines.join('\n')}\n${done}/${total} stages done${promptLine}`,
    attention: prompts > 0,
  };
}
