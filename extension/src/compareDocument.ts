import * as vscode from 'vscode';
import type { CompareRunsParams, CompareRunsResult } from '@baton/protocol';
import { COMPARE_SCHEME, comparePath, comparisonMarkdown } from './model/comparisonMarkdown';

/**
 * "Compare with Previous Run" and "Compare with Run…": two runs side by side,
 * computed by the server (`baton/compareRuns`) and shown as a read-only
 * Markdown document (`baton-compare:/<run>/<base>/Compare.md`) in VS Code's
 * Markdown preview, like Show Summary: the preview follows the theme (light,
 * dark, high contrast), keeps its own strict Content-Security-Policy, loads
 * nothing from the network, and its tables can be read, selected and copied.
 */
export class CompareDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration: vscode.Disposable;
  /** The Markdown of each comparison shown, by document path. */
  private readonly texts = new Map<string, string>();

  constructor(private readonly compare: (params: CompareRunsParams) => Promise<CompareRunsResult>) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(COMPARE_SCHEME, this);
  }

  /** Asks the server for the comparison and shows it; returns the document's URI. */
  async show(runId: string, baseRunId?: string): Promise<vscode.Uri> {
    const { comparison } = await this.compare(
      baseRunId === undefined ? { runId } : { runId, baseRunId },
    );
    const uri = vscode.Uri.from({
      scheme: COMPARE_SCHEME,
      path: comparePath(runId, comparison.base?.runId),
    });
    this.texts.set(uri.path, comparisonMarkdown(comparison, Date.now()));
    this.changed.fire(uri);
    await vscode.commands.executeCommand('markdown.showPreview', uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.path) ?? 'This comparison is no longer known: run the command again.';
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
    this.texts.clear();
  }
}
