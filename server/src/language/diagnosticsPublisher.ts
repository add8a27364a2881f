/**
 * The one source of pipeline-file diagnostics for a client: an open file's
 * come from the editor's text (debounced as the user types), every other
 * pipeline file's from the file on disk (the workspace catalog). An open
 * file's list is sent for every version it settles on (clients match lists to
 * versions); a file on disk's only when it changed.
 */
import { pathToFileURL } from 'node:url';
import type * as P from '@baton/protocol';
import { toLspDiagnostic } from './lspDiagnostics';
import type { PipelineDocument } from './pipelineDocument';

/** How long typing pauses before an open file's diagnostics are sent. */
export const DIAGNOSTICS_DELAY_MS = 200;

/** Sends one `textDocument/publishDiagnostics`. */
export type PublishDiagnostics = (params: P.PublishDiagnosticsParams) => void;

/** Publishes diagnostics of open documents and of the files on disk. */
export class DiagnosticsPublisher {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** What was last sent, by URI, so an unchanged list is not sent again. */
  private readonly sent = new Map<string, string>();
  /** The on-disk diagnostics of the workspace's pipeline files, by file path. */
  private onDisk = new Map<string, readonly P.WireDiagnostic[]>();
  /** The URIs of files the editor has open, by file path. */
  private readonly openUris = new Map<string, string>();

  constructor(
    private readonly publish: PublishDiagnostics,
    private readonly delayMs = DIAGNOSTICS_DELAY_MS,
  ) {}

  /** An opened document: its diagnostics go out at once. */
  opened(document: PipelineDocument): void {
    this.openUris.set(document.file, document.uri);
    this.send(
      document.uri,
      document.parse.diagnostics.map(toLspDiagnostic),
      document.document.version,
    );
  }

  /** An edited document: its diagnostics go out once typing pauses. */
  changed(document: PipelineDocument, latest: () => PipelineDocument | undefined): void {
    clearTimeout(this.timers.get(document.uri));
    const timer = setTimeout(() => {
      this.timers.delete(document.uri);
      const current = latest();
      if (current === undefined) return;
      this.send(
        current.uri,
        current.parse.diagnostics.map(toLspDiagnostic),
        current.document.version,
      );
    }, this.delayMs);
    this.timers.set(document.uri, timer);
  }

  /** A closed document: the file on disk speaks for it again (nothing, if it is not a pipeline there). */
  closed(uri: string, file: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.openUris.delete(file);
    this.send(uri, (this.onDisk.get(file) ?? []).map(toLspDiagnostic));
  }

  /** The workspace's pipeline files as last read from disk; files that are open keep their editor's diagnostics. */
  catalogChanged(pipelines: readonly P.WirePipeline[]): void {
    const before = this.onDisk;
    this.onDisk = new Map(pipelines.map((p) => [p.file, p.diagnostics]));
    for (const [file, diagnostics] of this.onDisk) {
      if (!this.openUris.has(file)) this.send(uriOf(file), diagnostics.map(toLspDiagnostic));
    }
    for (const file of before.keys()) {
      if (!this.onDisk.has(file) && !this.openUris.has(file)) this.send(uriOf(file), []);
    }
  }

  /** Stops pending sends. */
  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /** Sends a list; one without a version (from disk) only when it differs from the last one sent. */
  private send(uri: string, diagnostics: P.LspDiagnostic[], version?: number): void {
    const key = JSON.stringify(diagnostics);
    if (version === undefined && this.sent.get(uri) === key) return;
    this.sent.set(uri, key);
    this.publish({ uri, diagnostics, ...(version === undefined ? {} : { version }) });
  }
}

function uriOf(file: string): string {
  return pathToFileURL(file).href;
}
