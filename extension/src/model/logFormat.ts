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

/** Formats one output line: `[stage] text`, with `::group::`/`::endgroup::` drawn as markers. */
export function formatLine(stage: string, rawLine: string): string {
  // A progress bar redraws its line with `\r`: only the last state is worth keeping.
  const line = rawLine.slice(rawLine.lastIndexOf('\r') + 1);
  const group = /^::group::(.*)$/i.exec(line);
  if (group) return `[${stage}] ▼ ${group[1] ?? ''}\n`;
  if (/^::endgroup::\s*$/i.test(line)) return `[${stage}] ▲\n`;
  return `[${stage}] ${line}\n`;
}

/** The output channel name of a run: `Baton: ‹pipeline› #‹run›`. */
export function runChannelName(pipelineName: string, runId: string): string {
  return `Baton: ${pipelineName} #${runId}`;
}
