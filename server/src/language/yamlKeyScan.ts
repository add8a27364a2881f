/**
 * Stage and input ids read from YAML text line by line, for a file that does
 * not parse yet (mid-edit) and has no earlier version that did.
 */

const TOP_KEY = /^([A-Za-z_$][\w$-]*)\s*:/;
const CHILD_KEY = /^(\s+)(["']?)([A-Za-z_][\w-]*)\2\s*:/;

/** The keys one level under the top-level block mapping `top` (e.g. the stage ids under `stages:`). */
export function yamlKeysUnder(text: string, top: string): string[] {
  const keys: string[] = [];
  let inside = false;
  let childIndent: number | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const topKey = TOP_KEY.exec(line);
    if (topKey !== null) {
      inside = topKey[1] === top;
      childIndent = undefined;
      continue;
    }
    const child = inside ? CHILD_KEY.exec(line) : null;
    if (child === null) continue;
    const indent = (child[1] ?? '').length;
    childIndent ??= indent;
    if (indent === childIndent) keys.push(child[3] ?? '');
  }
  return keys;
}
