import * as vscode from 'vscode';
import type { ProblemSpec } from './model/annotationDiagnostics';
import { annotationProblems, pipelineProblems } from './model/annotationDiagnostics';
import type { ServerMirror } from './model/serverMirror';

/** How long run changes are gathered before the annotations are redrawn. */
const ANNOTATION_DELAY_MS = 200;

const SEVERITY: Record<ProblemSpec['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/**
 * The Problems panel's Baton entries: validation problems of pipeline files
 * (from the server's pipeline list) and `::error`/`::warning` annotations
 * stages printed with a `file`.
 */
export class DiagnosticsView implements vscode.Disposable {
  private readonly pipelineCollection =
    vscode.languages.createDiagnosticCollection('baton-pipelines');
  private readonly annotationCollection = vscode.languages.createDiagnosticCollection('baton');
  private readonly subscription: vscode.Disposable;
  private annotationTimer: NodeJS.Timeout | undefined;

  constructor(private readonly store: ServerMirror) {
    this.subscription = store.onDidChange((change) => {
      if (change.kind === 'pipelines') this.showPipelineProblems();
      else this.scheduleAnnotations();
    });
  }

  /** Clears both collections and stops listening. */
  dispose(): void {
    if (this.annotationTimer) clearTimeout(this.annotationTimer);
    this.subscription.dispose();
    this.pipelineCollection.dispose();
    this.annotationCollection.dispose();
  }

  private showPipelineProblems(): void {
    const diagnostics = this.store.pipelines.flatMap((p) => p.diagnostics);
    fill(this.pipelineCollection, pipelineProblems(diagnostics));
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
