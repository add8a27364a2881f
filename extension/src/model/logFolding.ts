/**
 * Where a stage log document folds: each attempt (from its `──── attempt N
 * ────` rule to the line before the next one) and each group a stage opened
 * (`▼ title`, the rendering of `::group::title`, to its `▲`). Pure: the
 * folding provider turns these into VS Code's `FoldingRange`s.
 */

/** A foldable region: its first line stays visible, the lines after it up to `end` fold away. */
export interface LogFold {
  /** 0-based line of the region's header (an attempt rule or a group's `▼` line). */
  readonly start: number;
  /** 0-based last line of the region (a group's `▲` line, or an attempt's last line). */
  readonly end: number;
}

/** The rule a stage log document draws above each attempt. */
export const ATTEMPT_RULE = /^──── attempt \d+ ────$/;
/** A group's opening line, as a stage log document draws it. */
const GROUP_START = /^▼ /;
/** A group's closing line. */
const GROUP_END = /^▲\s*$/;

/**
 * The folds of a stage log document's text: attempts, and groups within them
 * (nested groups fold inside their parent; a group still open when its
 * attempt ends folds up to the attempt's last line; a `▲` without its `▼`,
 * as at the start of a log shown from the middle, is ignored). One pass.
 */
export function logFolds(text: string): LogFold[] {
  const lines = text.split('\n');
  const folds: LogFold[] = [];
  let attempt: number | undefined;
  const open: number[] = [];
  const closeAttempt = (last: number): void => {
    for (let start = open.pop(); start !== undefined; start = open.pop())
      pushFold(folds, start, last);
    if (attempt !== undefined) pushFold(folds, attempt, last);
  };
  lines.forEach((line, index) => {
    if (ATTEMPT_RULE.test(line)) {
      closeAttempt(lastContentLine(lines, index - 1));
      attempt = index;
    } else if (GROUP_START.test(line)) {
      open.push(index);
    } else if (GROUP_END.test(line)) {
      const start = open.pop();
      if (start !== undefined) pushFold(folds, start, index);
    }
  });
  closeAttempt(lastContentLine(lines, lines.length - 1));
  return folds.sort((a, b) => a.start - b.start);
}

/** A region is worth folding only when it has lines under its header. */
function pushFold(folds: LogFold[], start: number, end: number): void {
  if (end > start) folds.push({ start, end });
}

/** The last line at or before `index` that is not blank (attempts are separated by a blank line). */
function lastContentLine(lines: readonly string[], index: number): number {
  let line = index;
  while (line > 0 && (lines[line] ?? '').trim() === '') line -= 1;
  return line;
}
