/**
 * The Language Server Protocol features Baton serves for pipeline files
 * (`*.pipeline.yaml|yml|json`), so any editor with an LSP client gets
 * diagnostics as you type, completion, hover, quick fixes, navigation, rename
 * and the outline. Params and results are LSP 3.17's own; only what Baton
 * pushes unasked is declared here. Positions are UTF-16 code units, LSP's
 * default encoding.
 */

import type { WirePipeline } from './wirePipeline';

/** Sent from the client to the server when the editor opens a pipeline file; the server keeps its text. */
export const DidOpenTextDocumentMethod = 'textDocument/didOpen';
/** Sent from the client to the server on every edit (full or incremental); diagnostics follow, debounced. */
export const DidChangeTextDocumentMethod = 'textDocument/didChange';
/** Sent from the client to the server when the editor closes a file; its diagnostics revert to the file on disk. */
export const DidCloseTextDocumentMethod = 'textDocument/didClose';
/** Sent from the server to the client with every problem of one pipeline file (open ones from the editor's text). */
export const PublishDiagnosticsMethod = 'textDocument/publishDiagnostics';
/** Sent from the client to the server for completion items at a position. */
export const CompletionMethod = 'textDocument/completion';
/** Sent from the client to the server for a key's documentation or a stage's last run. */
export const HoverMethod = 'textDocument/hover';
/** Sent from the client to the server for quick fixes of the diagnostics in a range. */
export const CodeActionMethod = 'textDocument/codeAction';
/** Sent from the client to the server for where a stage or input is declared. */
export const DefinitionMethod = 'textDocument/definition';
/** Sent from the client to the server for every use of a stage or input. */
export const ReferencesMethod = 'textDocument/references';
/** Sent from the client to the server to ask whether the symbol at a position can be renamed. */
export const PrepareRenameMethod = 'textDocument/prepareRename';
/** Sent from the client to the server to rename a stage or input everywhere in the file. */
export const RenameMethod = 'textDocument/rename';
/** Sent from the client to the server for the outline: the inputs and stages. */
export const DocumentSymbolMethod = 'textDocument/documentSymbol';

/**
 * Sent from the client to the server for the pipeline that an open
 * document's text declares, saved or not, as `baton/listPipelines` would
 * show the file: so a graph follows unsaved edits, and a half-written file
 * shows its diagnostics. The result is `null` when the document is not open
 * on the server (`textDocument/didOpen`). Params `GetDocumentPipelineParams`.
 */
export const GetDocumentPipelineMethod = 'baton/getDocumentPipeline';
/** `baton/getDocumentPipeline` params. */
export interface GetDocumentPipelineParams {
  readonly textDocument: { readonly uri: string };
}
/** `baton/getDocumentPipeline` result (`null` when the document is not open). */
export type GetDocumentPipelineResult = {
  /** The document version the pipeline was read from. */
  readonly version: number;
  readonly pipeline: WirePipeline;
} | null;

/** A 0-based position; `character` counts UTF-16 code units. */
export interface LspPosition {
  readonly line: number;
  readonly character: number;
}

/** A half-open range of positions. */
export interface LspRange {
  readonly start: LspPosition;
  readonly end: LspPosition;
}

/** An LSP diagnostic as Baton sends it. */
export interface LspDiagnostic {
  readonly range: LspRange;
  /** 1 error, 2 warning. */
  readonly severity: 1 | 2;
  /** The validator's stable code, e.g. `unknown-key`. */
  readonly code: string;
  /** Always `baton`. */
  readonly source: 'baton';
  readonly message: string;
  /** The correction a "Did you mean" proposes, when there is one; quick fixes apply it. */
  readonly data?: {
    readonly fix: { readonly find: string; readonly replaceWith: string; readonly title?: string };
  };
}

/** `textDocument/publishDiagnostics` params: the whole list for one file (empty clears it). */
export interface PublishDiagnosticsParams {
  readonly uri: string;
  /** The editor's version of the text the list is about; absent for files read from disk. */
  readonly version?: number;
  readonly diagnostics: readonly LspDiagnostic[];
}
