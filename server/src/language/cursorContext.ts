/**
 * What the text at the cursor is, read from the text alone so it works while
 * the file does not parse (mid-edit): a key being typed (and the keys of the
 * mapping it goes in), a value (and the key it belongs to), or an unfinished
 * `${{ … }}` expression.
 */

/** Where the cursor is, as completion sees it. */
export type CursorContext =
  | {
      readonly kind: 'key';
      /** Keys from the top down to the mapping the key goes in. */
      readonly path: readonly string[];
      /** Offset of the first character of the partial word. */
      readonly from: number;
      /** JSON only: the cursor is inside the key's quotes. */
      readonly inQuotes: boolean;
    }
  | {
      readonly kind: 'value';
      /** Keys from the top down to the key whose value this is. */
      readonly path: readonly string[];
      readonly from: number;
      readonly inQuotes: boolean;
    }
  | {
      readonly kind: 'expression';
      /** The path of the value the expression is in (`stages.<id>.run`, …). */
      readonly path: readonly string[];
      /** Offset just after `${{` and its spaces. */
      readonly from: number;
      /** Whether `}}` already follows on the line. */
      readonly closed: boolean;
    }
  | { readonly kind: 'none' };

const KEY_LINE = /^(\s*)((?:-\s+)*)("[^"]*"|'[^']*'|[^\s#'"{[\]},:][^:#]*?)\s*:(?:\s|$)/;
const PARTIAL_KEY = /^(\s*)((?:-\s+)*)([A-Za-z0-9_$-]*)$/;
const VALUE_LINE = /^(\s*)((?:-\s+)*)("[^"]*"|'[^']*'|[^\s#'"{[\]},:][^:#]*?)\s*:\s+(.*)$/;

/** The cursor context in YAML text at `offset`. */
export function yamlContext(text: string, offset: number): CursorContext {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const prefix = text.slice(lineStart, offset);
  const lines = text.slice(0, lineStart).split('\n');
  const expression = expressionContext(text, lineStart, offset);
  if (expression !== undefined) {
    return { ...expression, path: yamlPathOfLine(lines, prefix) };
  }
  const partialKey = PARTIAL_KEY.exec(prefix);
  if (partialKey !== null) {
    const indent = (partialKey[1] ?? '').length + (partialKey[2] ?? '').length;
    const from = offset - (partialKey[3] ?? '').length;
    // `- item` lines are list values; Baton's lists hold no mappings.
    if ((partialKey[2] ?? '') !== '')
      return { kind: 'value', path: ancestors(lines, indent), from, inQuotes: false };
    return { kind: 'key', path: ancestors(lines, indent), from, inQuotes: false };
  }
  const valueLine = VALUE_LINE.exec(prefix);
  if (valueLine === null) return { kind: 'none' };
  const indent = (valueLine[1] ?? '').length + (valueLine[2] ?? '').length;
  const path = [...ancestors(lines, indent), unquote(valueLine[3] ?? '')];
  const value = valueLine[4] ?? '';
  const partial = /[^\s[,'"]*$/.exec(value)?.[0] ?? '';
  const inQuotes = /["'][^"',[\]]*$/.test(value);
  return { kind: 'value', path, from: offset - partial.length, inQuotes };
}

/** An unclosed `${{` before the cursor on its line. */
export function expressionContext(
  text: string,
  lineStart: number,
  offset: number,
): { kind: 'expression'; from: number; closed: boolean } | undefined {
  const prefix = text.slice(lineStart, offset);
  const open = prefix.lastIndexOf('${{');
  if (open < 0 || prefix.indexOf('}}', open) >= 0) return undefined;
  const spaces = /^\s*/.exec(prefix.slice(open + 3))?.[0].length ?? 0;
  const lineEnd = text.indexOf('\n', offset);
  const rest = text.slice(offset, lineEnd < 0 ? text.length : lineEnd);
  return {
    kind: 'expression',
    from: lineStart + open + 3 + spaces,
    closed: /^[\w.-]*\s*\}\}/.test(rest),
  };
}

/** The path of the value a line belongs to: its ancestors, plus its own key if it has one. */
function yamlPathOfLine(lines: readonly string[], prefix: string): string[] {
  const own = KEY_LINE.exec(prefix);
  const indent = own === null ? indentOf(prefix) : (own[1] ?? '').length + (own[2] ?? '').length;
  const path = ancestors(lines, indent);
  return own === null ? path : [...path, unquote(own[3] ?? '')];
}

/** The keys of the lines above that enclose a line indented by `indent`, top first. */
function ancestors(lines: readonly string[], indent: number): string[] {
  const path: string[] = [];
  let limit = indent;
  for (let i = lines.length - 1; i >= 0 && limit > 0; i--) {
    const match = KEY_LINE.exec(lines[i] ?? '');
    if (match === null) continue;
    const keyIndent = (match[1] ?? '').length + (match[2] ?? '').length;
    if (keyIndent >= limit) continue;
    path.unshift(unquote(match[3] ?? ''));
    limit = keyIndent;
  }
  return path;
}

function indentOf(line: string): number {
  return /^[\s-]*/.exec(line)?.[0].length ?? 0;
}

function unquote(key: string): string {
  return /^(["']).*\1$/.test(key) ? key.slice(1, -1) : key;
}
