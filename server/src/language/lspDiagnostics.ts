import type * as P from '@baton/protocol';

/** A validator diagnostic (core or wire): 1-based positions. */
export interface PositionedProblem {
  readonly line: number;
  readonly column: number;
  readonly endLine?: number;
  readonly endColumn?: number;
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly message: string;
  readonly fix?: { readonly find: string; readonly replaceWith: string; readonly title?: string };
}

/**
 * A validator diagnostic as LSP sends it: 0-based lines, and columns in
 * UTF-16 code units, as the core already counts them (string offsets). A
 * problem without an end covers one character.
 */
export function toLspDiagnostic(problem: PositionedProblem): P.LspDiagnostic {
  const start = { line: problem.line - 1, character: problem.column - 1 };
  const end =
    problem.endLine === undefined
      ? { line: start.line, character: start.character + 1 }
      : { line: problem.endLine - 1, character: (problem.endColumn ?? problem.column) - 1 };
  return {
    range: { start, end },
    severity: problem.severity === 'error' ? 1 : 2,
    code: problem.code,
    source: 'baton',
    message: problem.message,
    ...(problem.fix === undefined ? {} : { data: { fix: problem.fix } }),
  };
}
