import { RUN_LOG_STAGE } from '@baton/protocol';
import { runLabel } from './runLabel';

/**
 * Turns a run's log chunks into output-channel text: whole lines only, each
 * prefixed with `[stage] `, group markers drawn as ▼/▲ lines. A line a stage
 * has not finished yet is held back until its end arrives or the stage ends.
 */
export class RunLogFormatter {
  private readonly partial = new Map<string, string>();

  /** Formats a chunk of `stage`'s output; returns the complete lines it finished (maybe empty). */
  append(stage: string, text: string): string {
    const pending = (this.partial.get(stage) ?? '') + text.replace(/\r\n/g, '\n');
    const cut = pending.lastIndexOf('\n');
    if (cut < 0) {
      this.partial.set(stage, pending);
      return '';
    }
    this.partial.set(stage, pending.slice(cut + 1));
    return pending
      .slice(0, cut)
      .split('\n')
      .map((line) => formatLine(stage, line))
      .join('');
  }

  /** Returns `stage`'s held-back partial line (formatted), e.g. when the stage ended. */
  flush(stage: string): string {
    const rest = this.partial.get(stage) ?? '';
    this.partial.delete(stage);
    return rest === '' ? '' : formatLine(stage, rest);
  }

  /** Returns every held-back partial line. */
  flushAll(): string {
    return [...this.partial.keys()].map((stage) => this.flush(stage)).join('');
  }
}

/**
 * Formats one output line: `[stage] text`, with groups drawn as `▼ title` and
 * `▲` headers. The server writes a stage's `::group::title` as `[group] title`
 * and `::endgroup::` as `[endgroup]` in the log; raw command lines (an older
 * log) are read too.
 */
export function formatLine(stage: string, rawLine: string): string {
  // A progress bar redraws its line with `\r`: only the last state is worth keeping.
  const line = rawLine.slice(rawLine.lastIndexOf('\r') + 1);
  // The run's own notes are Baton's (`[baton] input …`), not a stage's: no stage prefix.
  if (stage === RUN_LOG_STAGE) return `${line}\n`;
  return `[${stage}] ${groupMarker(line) ?? line}\n`;
}

/**
 * A group marker as a reader sees it: `▼ title` for the server's
 * `[group] title` (or a raw `::group::title` of an older log), `▲` for
 * `[endgroup]`; undefined for any other line.
 */
export function groupMarker(line: string): string | undefined {
  const group = /^(?:::group::|\[group\] )(.*)$/i.exec(line);
  if (group) return `▼ ${group[1] ?? ''}`;
  if (/^(?:::endgroup::|\[endgroup\])\s*$/i.test(line)) return '▲';
  return undefined;
}

/** Longest run label in an output channel's name, so the name is not cut in the Output view's list. */
const CHANNEL_LABEL_LENGTH = 40;

/** The output channel name of a run: `Baton: Literature review #14 · pillars=ALL`. */
export function runChannelName(summary: Parameters<typeof runLabel>[0]): string {
  return `Baton: ${runLabel(summary, CHANNEL_LABEL_LENGTH)}`;
}
