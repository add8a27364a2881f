/**
 * The cursor context in JSON text, found by one pass over the text before the
 * cursor (strings, nesting and which key is open), so it works on the
 * half-typed JSON an editor holds mid-edit.
 */
import { expressionContext, type CursorContext } from './cursorContext';

/** One open `{` or `[`, and the key it is the value of. */
interface Frame {
  readonly kind: '{' | '[';
  readonly key: string | undefined;
  /** The key last read in this object. */
  lastKey: string | undefined;
  /** In an object: the next string is a key. */
  expectKey: boolean;
}

/** The cursor context in JSON text at `offset`. */
export function jsonContext(text: string, offset: number): CursorContext {
  const stack: Frame[] = [];
  let stringStart = -1;
  for (let i = 0; i < offset; i++) {
    const char = text[i];
    if (stringStart >= 0) {
      if (char === '\\') i++;
      else if (char === '"') {
        const top = stack.at(-1);
        if (top?.kind === '{' && top.expectKey)
          top.lastKey = keyText(text.slice(stringStart, i + 1));
        stringStart = -1;
      }
      continue;
    }
    const top = stack.at(-1);
    if (char === '"') stringStart = i;
    else if (char === '{' || char === '[') {
      const key = top?.kind === '{' ? top.lastKey : top?.key;
      stack.push({ kind: char, key, lastKey: undefined, expectKey: char === '{' });
    } else if (char === '}' || char === ']') stack.pop();
    else if (char === ':' && top?.kind === '{') top.expectKey = false;
    else if (char === ',' && top?.kind === '{') top.expectKey = true;
  }
  return contextAt(text, offset, stack, stringStart);
}

function contextAt(
  text: string,
  offset: number,
  stack: readonly Frame[],
  stringStart: number,
): CursorContext {
  const top = stack.at(-1);
  if (top === undefined) return { kind: 'none' };
  const path = stack.flatMap((frame) => (frame.key === undefined ? [] : [frame.key]));
  const inQuotes = stringStart >= 0;
  const from = inQuotes ? stringStart + 1 : offset;
  if (top.kind === '{' && top.expectKey) return { kind: 'key', path, from, inQuotes };
  if (inQuotes) {
    const expression = expressionContext(text, stringStart + 1, offset);
    if (expression !== undefined) return { ...expression, path: valuePath(path, top) };
  }
  return { kind: 'value', path: valuePath(path, top), from, inQuotes };
}

function valuePath(path: readonly string[], top: Frame): string[] {
  return top.kind === '{' && top.lastKey !== undefined ? [...path, top.lastKey] : [...path];
}

/** A key's text from its JSON string literal (as written, when its escapes are bad). */
function keyText(literal: string): string {
  try {
    return JSON.parse(literal) as string;
  } catch {
    return literal.slice(1, -1);
  }
}
