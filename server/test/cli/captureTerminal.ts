import pc from 'picocolors';
import type { Terminal } from '../../src/cli/terminal';

/** A terminal that records what is printed: `out` for stdout, `err` for stderr. */
export function captureTerminal(isTTY = false): Terminal & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    isTTY,
    columns: 80,
    rows: 24,
    colors: pc.createColors(false),
    out,
    err,
    write: (text) => out.push(text),
    line: (text = '') => out.push(`${text}\n`),
    error: (text) => err.push(`${text}\n`),
  };
}
