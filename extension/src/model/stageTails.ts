/** How many of a stage's last lines are kept (what a failed stage's tooltip shows). */
export const TAIL_LINES = 5;

/** Longest line kept, in characters; a longer one is cut with `…`. */
const MAX_LINE = 200;

interface Tail {
  attempt: number;
  lines: string[];
  partial: string;
}

/**
 * The last lines each stage printed in its latest attempt, from the live log
 * (`baton/didAppendLog`): what a failed stage's tooltip shows under its
 * reason. Bounded: a few short lines per stage. Runs watched only after they
 * ended have none until their log is read.
 */
export class StageTails {
  private readonly tails = new Map<string, Tail>();

  /** Takes a chunk of a stage attempt's output. */
  append(runId: string, stage: string, attempt: number, text: string): void {
    const key = `${runId}\u0000${stage}`;
    let tail = this.tails.get(key);
    if (!tail || attempt > tail.attempt) {
      tail = { attempt, lines: [], partial: '' };
      this.tails.set(key, tail);
    }
    if (attempt < tail.attempt) return;
    const parts = (tail.partial + text.replace(/\r\n/g, '\n')).split('\n');
    tail.partial = (parts.pop() ?? '').slice(-MAX_LINE);
    for (const raw of parts) {
      // A line redrawn with carriage returns (a progress bar) shows its last state.
      const line = raw.slice(raw.lastIndexOf('\r') + 1);
      if (line.trim() === '') continue;
      tail.lines.push(line.length > MAX_LINE ? `${line.slice(0, MAX_LINE - 1)}…` : line);
    }
    if (tail.lines.length > TAIL_LINES) tail.lines.splice(0, tail.lines.length - TAIL_LINES);
  }

  /** The last lines of a stage's latest attempt (with a line it has not ended yet), oldest first. */
  lines(runId: string, stage: string): readonly string[] {
    const tail = this.tails.get(`${runId}\u0000${stage}`);
    if (!tail) return [];
    const all = tail.partial.trim() === '' ? tail.lines : [...tail.lines, tail.partial];
    return all.slice(-TAIL_LINES);
  }
}
