/**
 * Stage and input ids read from JSON text in one tolerant pass, for a file
 * that does not parse yet (mid-edit) and has no earlier version that did.
 */

/** The keys of the object that is the top-level `top` member (e.g. the stage ids under `"stages"`). */
export function jsonKeysUnder(text: string, top: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let lastString: string | undefined;
  let targetOpen = false;
  let inTarget = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') {
      const end = closingQuote(text, i);
      lastString = text.slice(i + 1, end);
      const isKey = /^\s*:/.test(text.slice(end + 1, end + 40));
      if (isKey && depth === 1) targetOpen = lastString === top;
      else if (isKey && inTarget && depth === 2) keys.push(lastString);
      i = end;
    } else if (char === '{' || char === '[') {
      depth++;
      if (depth === 2 && targetOpen && char === '{') inTarget = true;
    } else if (char === '}' || char === ']') {
      if (depth === 2) inTarget = false;
      depth--;
    } else if (char === ',' && depth === 1) targetOpen = false;
  }
  return keys;
}

/** The index of the quote closing the string opened at `start` (or the text's end). */
function closingQuote(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return text.length;
}
