import * as vscode from 'vscode';
import type { ProblemSpec } from './model/annotationDiagnostics';
import { annotationProblems } from './model/annotationDiagnostics';
import type { ServerMirror } from './model/serverMirror';

/** How long run changes are gathered before the annotations are redrawn. */
const ANNOTATION_DELAY_MS = 200;

const SEVERITY: Record<ProblemSpec['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/**
 * The Problems panel's run annotations: `::error`/`::warning` lines stages
 * printed with a `file`. Problems of pipeline files themselves come from the
 * language server (`textDocument/publishDiagnostics`, shown by the language
 * client), one source for open and closed files alike.
 */
export class DiagnosticsView implements vscode.Disposable {
  private readonly annotationCollection = vscode.languages.createDiagnosticCollection('baton');
  private readonly subscription: vscode.Disposable;
  private annotationTimer: NodeJS.Timeout | undefined;

  constructor(private readonly store: ServerMirror) {
    this.subscription = store.onDidChange((change) => {
      if (change.kind !== 'pipelines') this.scheduleAnnotations();
    });
  }

  /** Clears the collection and stops listening. */
  dispose(): void {
    if (this.annotationTimer) clearTimeout(this.annotationTimer);
    this.subscription.dispose();
    this.annotationCollection.dispose();
  }

  /** Run changes come in bursts; redraw the annotations once per burst. */
  private scheduleAnnotations(): void {
    if (this.annotationTimer) return;
    this.annotationTimer = setTimeout(() => {
      this.annotationTimer = undefined;
      this.showAnnotations();
    }, ANNOTATION_DELAY_MS);
  }

  private showAnnotations(): void {
    fill(this.annotationCollection, annotationProblems(this.store.allRuns()));
  }
}

function fill(collection: vscode.DiagnosticCollection, byFile: Map<string, ProblemSpec[]>): void {
  collection.clear();
  for (const [file, problems] of byFile) {
    collection.set(vscode.Uri.file(file), problems.map(toDiagnostic));
  }
}

function toDiagnostic(problem: ProblemSpec): vscode.Diagnostic {
  const { line, column, endLine, endColumn } = problem.range;
  const start = new vscode.Position(Math.max(0, line - 1), Math.max(0, column - 1));
  const end =
    endLine !== undefined
      ? new vscode.Position(Math.max(0, endLine - 1), Math.max(0, (endColumn ?? column) - 1))
      : start.translate(0, 1000);
  const diagnostic = new vscode.Diagnostic(
    new vscode.Range(start, end),
    problem.message,
    SEVERITY[problem.severity],
  );
  diagnostic.source = problem.source;
  if (problem.code !== undefined) diagnostic.code = problem.code;
  return diagnostic;
}
