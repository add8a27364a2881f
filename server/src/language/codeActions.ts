/**
 * Quick fixes: every diagnostic that carries a fix (a "Did you mean …")
 * becomes a code action that makes the proposed edit.
 */
import type { CodeAction, Range, TextEdit } from 'vscode-languageserver-types';
import type { Diagnostic } from '@baton/core';
import { toLspDiagnostic } from './lspDiagnostics';
import type { PipelineDocument } from './pipelineDocument';

/** The quick fixes for the diagnostics that touch `range`. */
export function codeActionsFor(document: PipelineDocument, range: Range): CodeAction[] {
  const from = document.offsetAt(range.start);
  const to = document.offsetAt(range.end);
  const actions: CodeAction[] = [];
  for (const problem of document.parse.diagnostics) {
    if (problem.fix === undefined) continue;
    const diagnostic = toLspDiagnostic(problem);
    const start = document.offsetAt(diagnostic.range.start);
    const end = document.offsetAt(diagnostic.range.end);
    if (end < from || start > to) continue;
    const edit = fixEdit(document, problem, start, end);
    if (edit === undefined) continue;
    actions.push({
      title: problem.fix.title ?? `Change "${problem.fix.find}" to "${problem.fix.replaceWith}"`,
      kind: 'quickfix',
      diagnostics: [diagnostic],
      isPreferred: true,
      edit: { changes: { [document.uri]: [edit] } },
    });
  }
  return actions;
}

/** The edit of a fix: the first `find` inside the diagnostic's text. */
function fixEdit(
  document: PipelineDocument,
  problem: Diagnostic,
  start: number,
  end: number,
): TextEdit | undefined {
  if (problem.fix === undefined) return undefined;
  const found = document.text.slice(start, end).indexOf(problem.fix.find);
  if (found < 0) return undefined;
  const at = start + found;
  return {
    range: document.rangeOf({ start: at, end: at + problem.fix.find.length }),
    newText: problem.fix.replaceWith,
  };
}
