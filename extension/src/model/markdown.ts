/** Small helpers to write Markdown for tooltips, with no `vscode` import. */

/**
 * Escapes text so Markdown shows it as written inside a line: no emphasis,
 * code, links, tables or HTML. (Characters that only mean something at the
 * start of a line, like `#` or `-`, are left alone: tooltip lines start with
 * words of their own.)
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()|<>~]/g, (char) => `\\${char}`);
}

/** Text as inline code; a backtick inside gets a longer fence. */
export function inlineCode(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Lines as a fenced code block. */
export function codeBlock(lines: readonly string[]): string {
  const fence = lines.some((line) => line.includes('```')) ? '````' : '```';
  return `${fence}text\n${lines.join('\n')}\n${fence}`;
}

/**
 * A path shown relative to the workspace folder that holds it (`pipelines/a.pipeline.yaml`),
 * or as given when no folder does. Works on `/` and `\` paths alike.
 */
export function workspaceRelative(file: string, roots: readonly string[]): string {
  for (const root of roots) {
    const base = root.replace(/[\\/]+$/, '');
    if (file.length > base.length && file.startsWith(base) && /[\\/]/.test(file[base.length] ?? ''))
      return file.slice(base.length + 1);
  }
  return file;
}
