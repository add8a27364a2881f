import type { GetLogResult } from '@baton/protocol';
import { formatBytes } from './format';
import { groupMarker } from './logFormat';

/** The URI scheme of the read-only documents that show one stage's log. */
export const STAGE_LOG_SCHEME = 'baton-stage-log';

/** The language of stage log documents (its grammar: `extension/syntaxes/baton-log.tmLanguage.json`). */
export const STAGE_LOG_LANGUAGE = 'baton-log';

/** Which stage's log a stage log document shows. */
export interface StageLogAddress {
  readonly runId: string;
  readonly stage: string;
}

/**
 * The path of a stage log document: `/<runId>/<stage>.log`, so the editor tab
 * is named after the stage. Both parts are URI-encoded.
 */
export function stageLogPath(address: StageLogAddress): string {
  return `/${encodeURIComponent(address.runId)}/${encodeURIComponent(address.stage)}.log`;
}

/** Reads the address back from a stage log document's path; undefined for any other path. */
export function parseStageLogPath(path: string): StageLogAddress | undefined {
  const match = /^\/([^/]+)\/([^/]+)\.log$/.exec(path);
  if (!match) return undefined;
  return { runId: decodeURIComponent(match[1]!), stage: decodeURIComponent(match[2]!) };
}

/** The line of an attempt's rule in a stage log document's text; -1 when it has none. */
export function attemptLine(text: string, attempt: number): number {
  return text.split('\n').indexOf(attemptRule(attempt));
}

function attemptRule(attempt: number): string {
  return `──── attempt ${attempt} ────`;
}

/** The part of one attempt's log that was read: its last page (`baton/getLog` from the end). */
export type AttemptSlice = Pick<GetLogResult, 'attempt' | 'text' | 'offset' | 'size'>;

/**
 * The text of a stage log document: a header naming the stage and run, then
 * each attempt under its own rule, oldest first, its groups drawn as `▼ title`
 * … `▲` (they fold, see `logFolds`). An attempt longer than the
 * page read starts with a line saying how much of its beginning is left out
 * (the whole log stays in the run's folder), so a huge log never floods the
 * editor. `note` says why there is no log (up to date, not started).
 */
export function stageLogText(
  header: string,
  slices: readonly AttemptSlice[],
  note?: string,
): string {
  const lines = [header, ''];
  if (slices.length === 0) lines.push(note ?? 'No output yet.');
  for (const slice of slices) {
    lines.push(attemptRule(slice.attempt));
    if (slice.offset > 0)
      lines.push(
        `… the first ${formatBytes(slice.offset)} of ${formatBytes(slice.size)} are not shown (the whole log is in the run's folder)`,
      );
    lines.push(slice.text === '' ? '(no output)' : readable(slice.text.replace(/\n$/, '')), '');
  }
  return lines.join('\n');
}

/** A log's text with its group markers drawn as a reader sees them (the rest as it is). */
function readable(text: string): string {
  // Most logs have no groups: skip the line-by-line pass for them.
  if (!/\[(?:end)?group\]|::(?:end)?group::/i.test(text)) return text;
  return text
    .split('\n')
    .map((line) => groupMarker(line) ?? line)
    .join('\n');
}
