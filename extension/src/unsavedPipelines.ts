import * as vscode from 'vscode';
import type { WirePipeline } from '@baton/protocol';
import { Emitter } from './model/emitter';

/** How long typing must pause before the graph reads the text again. */
const EDIT_PAUSE_MS = 250;

/** Asks the server for the pipeline of an open document's text (`baton/getDocumentPipeline`). */
export type DocumentPipelineReader = (uri: string) => Promise<WirePipeline | undefined>;

/**
 * The pipelines of pipeline files with unsaved edits, read by the language
 * server from the editor's text, by pipeline id. A graph of a pipeline draws
 * these while the file is dirty, so it follows what is typed; a half-written
 * file brings its diagnostics. Saving or reverting drops the entry (the file
 * on disk is the catalog's again).
 */
export class UnsavedPipelines implements vscode.Disposable {
  private readonly pipelines = new Map<string, WirePipeline>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly changes = new Emitter<void>();
  private readonly subscriptions: vscode.Disposable[];

  /** Fires when a pipeline's unsaved text was read again or dropped. */
  readonly onDidChange = this.changes.event;

  constructor(
    private readonly read: DocumentPipelineReader,
    private readonly isWatched: (file: string) => boolean,
  ) {
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument(({ document }) => this.edited(document)),
      vscode.workspace.onDidSaveTextDocument((document) => this.drop(document)),
      vscode.workspace.onDidCloseTextDocument((document) => this.drop(document)),
    ];
  }

  /** The pipeline of a file's unsaved text, when it has unsaved edits. */
  of(pipelineId: string, file: string): WirePipeline | undefined {
    const pipeline = this.pipelines.get(file);
    return pipeline?.id === pipelineId ? pipeline : undefined;
  }

  /** Reads a dirty open document again now (a graph of it was just opened). */
  refresh(file: string): void {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file);
    if (document?.isDirty === true) void this.readNow(document);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changes.dispose();
  }

  private edited(document: vscode.TextDocument): void {
    const file = document.uri.fsPath;
    if (!this.isWatched(file)) return;
    if (!document.isDirty) return this.drop(document);
    clearTimeout(this.timers.get(file));
    this.timers.set(
      file,
      setTimeout(() => void this.readNow(document), EDIT_PAUSE_MS),
    );
  }

  private async readNow(document: vscode.TextDocument): Promise<void> {
    const file = document.uri.fsPath;
    this.timers.delete(file);
    const pipeline = await this.read(document.uri.toString()).catch(() => undefined);
    // Saved (or closed) while the answer was on its way: the file on disk rules again.
    if (!pipeline || !document.isDirty || document.isClosed) return;
    this.pipelines.set(file, pipeline);
    this.changes.fire();
  }

  private drop(document: vscode.TextDocument): void {
    const file = document.uri.fsPath;
    clearTimeout(this.timers.get(file));
    this.timers.delete(file);
    if (this.pipelines.delete(file)) this.changes.fire();
  }
}
