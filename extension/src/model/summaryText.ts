import { runName } from './runLabel';
import type { RunView } from './runView';

/** The URI scheme of the read-only Markdown documents that show a run's summary. */
export const SUMMARY_SCHEME = 'baton-summary';

/** The path of a run's summary document: `/<runId>/Summary.md` (the `.md` makes it Markdown). */
export function summaryPath(runId: string): string {
  return `/${encodeURIComponent(runId)}/Summary.md`;
}

/** The run id back from a summary document's path; undefined for any other path. */
export function parseSummaryPath(path: string): string | undefined {
  const match = /^\/([^/]+)\/Summary\.md$/.exec(path);
  return match ? decodeURIComponent(match[1]!) : undefined;
}

/**
 * A run's summary as one Markdown document: a title naming the run, then what
 * its stages wrote to `$BATON_SUMMARY`, in stage order (joined by the
 * server), or a line saying no stage wrote one.
 */
export function summaryMarkdown(run: RunView): string {
  const title = `# ${runName(run.summary)}`;
  const body = run.summaryMarkdown?.trim();
  return `${title}\n\n${body && body !== '' ? body : '_No stage of this run wrote a summary (`$BATON_SUMMARY`)._'}\n`;
}
