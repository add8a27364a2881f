import * as vscode from 'vscode';
import type { ServerMirror } from './model/serverMirror';
import {
  SUMMARY_SCHEME,
  parseSummaryPath,
  summaryMarkdown,
  summaryPath,
} from './model/summaryText';

/**
 * "Show Summary": a run's `$BATON_SUMMARY` Markdown, every stage's in order,
 * rendered in VS Code's Markdown preview from a read-only document
 * (`baton-summary:/<run>/Summary.md`). The text comes from the run's latest
 * snapshot, fetched when the command runs.
 */
export class SummaryDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration: vscode.Disposable;

  constructor(
    private readonly store: ServerMirror,
    private readonly loadRun: (runId: string) => Promise<void>,
  ) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(SUMMARY_SCHEME, this);
  }

  /** The document's URI for a run. */
  uri(runId: string): vscode.Uri {
    return vscode.Uri.from({ scheme: SUMMARY_SCHEME, path: summaryPath(runId) });
  }

  /** Fetches the run's snapshot and shows its summary rendered. */
  async show(runId: string): Promise<void> {
    await this.loadRun(runId);
    const uri = this.uri(runId);
    this.changed.fire(uri);
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const runId = parseSummaryPath(uri.path);
    const run = runId !== undefined ? this.store.run(runId) : undefined;
    return run ? summaryMarkdown(run) : `Run ${runId ?? uri.path} is not known.`;
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
