/**
 * A cheap pre-scan for absurdly deep nesting. The yaml library parses
 * recursively: a few kilobytes of `[[[[…` or `- - - …` exhaust the stack, and
 * after such an overflow V8 has been seen to abort the whole process on the
 * next parse. So depth is measured here first and deep files are refused
 * before the library sees them.
 */

/** Far deeper than any pipeline (which needs about eight levels), far below what overflows the stack. */
export const MAX_NESTING = 100;

/** Tracks quotes and comments on one pass, so brackets inside strings do not count. */
interface ScanState {
  flowDepth: number;
  quote: '' | "'" | '"';
}

/**
 * The offset at which the nesting of `text` (block indentation levels plus
 * open flow brackets) first exceeds `limit`, or undefined when it never does.
 * It over-estimates rather than under-estimates, which is the safe side.
 */
export function findExcessiveNesting(text: string, limit = MAX_NESTING): number | undefined {
  const state: ScanState = { flowDepth: 0, quote: '' };
  const indents: number[] = [];
  let lineStart = 0;
  while (lineStart <= text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    const line = text.slice(lineStart, lineEnd);
    // Quotes never carry over a line end here: counting brackets inside a
    // multi-line string over-estimates, and over-estimating is the safe side.
    state.quote = '';
    trackBlockLevels(line, indents);
    if (indents.length > limit) return lineStart;
    const deepAt = scanFlow(line, state, limit - indents.length);
    if (deepAt !== undefined) return lineStart + deepAt;
    if (newline < 0) break;
    lineStart = newline + 1;
  }
  return undefined;
}

/** Updates the stack of block indentation columns for one line (`- ` items each open a level). */
function trackBlockLevels(line: string, indents: number[]): void {
  const content = /^[ ]*/.exec(line)?.[0].length ?? 0;
  const rest = line.slice(content);
  if (rest === '' || rest.startsWith('#')) return;
  while (indents.length > 0 && (indents[indents.length - 1] ?? 0) >= content) indents.pop();
  indents.push(content);
  let column = content;
  let tail = rest;
  for (let dash = /^-(?:[ \t]+|$)/.exec(tail); dash !== null; dash = /^-(?:[ \t]+|$)/.exec(tail)) {
    column += dash[0].length;
    indents.push(column);
    tail = tail.slice(dash[0].length);
  }
}

/** Counts flow brackets on one line; returns the offset where the allowed depth is passed. */
function scanFlow(line: string, state: ScanState, allowed: number): number | undefined {
  for (let i = 0; i < line.length; i++) {
    const c = line.charAt(i);
    if (state.quote === '"') {
      if (c === '\\') i++;
      else if (c === '"') state.quote = '';
    } else if (state.quote === "'") {
      if (c === "'") state.quote = '';
    } else if ((c === '"' || c === "'") && opensValue(line, i)) {
      state.quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(line.charAt(i - 1)))) {
      return undefined;
    } else if (c === '[' || c === '{') {
      state.flowDepth++;
      if (state.flowDepth > allowed) return i;
    } else if ((c === ']' || c === '}') && state.flowDepth > 0) {
      state.flowDepth--;
    }
  }
  return undefined;
}

/**
 * True when a quote at `index` can open a quoted string: at the start of the
 * line or after an indicator (`[{,:-?`). Elsewhere (`it's`, `x "y`) it is
 * plain text, and treating it as a string would hide brackets YAML counts.
 */
function opensValue(line: string, index: number): boolean {
  const before = line.slice(0, index).trimEnd();
  return before === '' || '[{,:-?'.includes(before.charAt(before.length - 1));
}
