/**
 * The language server for pipeline files, wired into the connection: text
 * document sync, diagnostics, and the request handlers. The features
 * themselves are pure functions in this folder; this file only routes.
 */
import * as P from '@baton/protocol';
import type { Connection, LanguageHandlers, LanguageRequestHandler } from '../rpc/connection';
import { rpcError } from '../rpc/rpcErrors';
import { toWirePipeline } from '../rpc/service/wire';
import { codeActionsFor } from './codeActions';
import { completionsAt, cursorContextAt } from './completion';
import { DiagnosticsPublisher } from './diagnosticsPublisher';
import { documentSymbols } from './documentSymbols';
import { hoverAt, isOnStage } from './hover';
import { field, readPosition, readRange, readString, readUri } from './lspParams';
import { definitionAt, referencesAt } from './navigation';
import { OpenDocuments } from './openDocuments';
import type { PipelineDocument } from './pipelineDocument';
import { prepareRenameAt, renameAt } from './rename';
import type { PipelineHistory } from './runHistory';
import type { Logger } from '../rpc/logger';

/**
 * The `initialize` capabilities of what this folder serves. Positions are
 * UTF-16, LSP's default, so `positionEncoding` is stated, not negotiated.
 */
export const LANGUAGE_CAPABILITIES = {
  positionEncoding: 'utf-16',
  textDocumentSync: { openClose: true, change: 2 },
  completionProvider: { triggerCharacters: ['.', '{', '['] },
  hoverProvider: true,
  codeActionProvider: { codeActionKinds: ['quickfix'] },
  definitionProvider: true,
  referencesProvider: true,
  renameProvider: { prepareProvider: true },
  documentSymbolProvider: true,
} as const;

/** What the language server needs besides the connection. */
export interface LanguageServerOptions {
  readonly history: PipelineHistory;
  readonly now: () => number;
  /** Debounce of diagnostics while typing (default 200 ms). */
  readonly diagnosticsDelayMs?: number;
}

/** The running language server of one connection. */
export interface LanguageServer {
  /** The workspace's pipeline files changed on disk: closed files' diagnostics follow (once ready). */
  catalogChanged(pipelines: readonly P.WirePipeline[]): void;
  /** The client sent `initialized`: diagnostics of files on disk may go out from now on. */
  ready(): void;
  /** Stops pending diagnostics. */
  dispose(): void;
}

/** Installs the language features on `connection`. */
export function startLanguageServer(
  connection: Connection,
  options: LanguageServerOptions,
): LanguageServer {
  const documents = new OpenDocuments();
  const publisher = new DiagnosticsPublisher(
    (params) => void connection.notify(P.PublishDiagnosticsMethod, params),
    options.diagnosticsDelayMs,
  );
  const history = forgivingHistory(options.history, connection.logger);
  connection.setLanguageHandlers(languageHandlers(documents, publisher, { ...options, history }));
  // LSP: nothing but the answer goes out before `initialize` is answered; the catalog waits.
  let ready = false;
  let waiting: readonly P.WirePipeline[] | undefined;
  return {
    catalogChanged: (pipelines) => {
      if (ready) publisher.catalogChanged(pipelines);
      else waiting = pipelines;
    },
    ready: () => {
      ready = true;
      if (waiting !== undefined) publisher.catalogChanged(waiting);
      waiting = undefined;
    },
    dispose: () => publisher.dispose(),
  };
}

function languageHandlers(
  documents: OpenDocuments,
  publisher: DiagnosticsPublisher,
  options: LanguageServerOptions,
): LanguageHandlers {
  const { history, now } = options;
  /** A request on an open document at a position; null when the document is not open here. */
  const atPosition =
    (answer: (document: PipelineDocument, offset: number, params: unknown) => unknown) =>
    (params: unknown): unknown => {
      const document = documents.get(readUri(params));
      if (document === undefined) return null;
      return answer(document, document.offsetAt(readPosition(params)), params);
    };
  const requests: Record<string, LanguageRequestHandler> = {
    [P.CompletionMethod]: atPosition(async (document, offset) => {
      const expression = cursorContextAt(document, offset).kind === 'expression';
      // Only expressions need the run store; keys and values are answered from the text alone.
      const outputs = expression
        ? await history.outputNames(document.pipelineId, document.file)
        : new Map<string, readonly string[]>();
      return { isIncomplete: false, items: completionsAt(document, offset, outputs) };
    }),
    [P.HoverMethod]: atPosition(async (document, offset) => {
      const lastRuns = isOnStage(document, offset)
        ? await history.lastStageRuns(document.pipelineId, document.file)
        : new Map();
      return hoverAt(document, offset, lastRuns, now()) ?? null;
    }),
    [P.CodeActionMethod]: (params) => {
      const document = documents.get(readUri(params));
      return document === undefined ? null : codeActionsFor(document, readRange(params));
    },
    [P.DefinitionMethod]: atPosition((document, offset) => definitionAt(document, offset)),
    [P.ReferencesMethod]: atPosition((document, offset, params) => {
      const context = field(params, 'context', '');
      const include =
        context !== undefined && field(context, 'includeDeclaration', 'context') === true;
      return referencesAt(document, offset, include);
    }),
    [P.PrepareRenameMethod]: atPosition(
      (document, offset) => prepareRenameAt(document, offset) ?? null,
    ),
    [P.RenameMethod]: atPosition((document, offset, params) => {
      const edit = renameAt(document, offset, readString(params, 'newName'));
      if ('refused' in edit) throw rpcError(P.ErrorCodes.RequestFailed, edit.refused);
      return edit;
    }),
    [P.GetDocumentPipelineMethod]: (params): P.GetDocumentPipelineResult => {
      const document = documents.get(readUri(params));
      if (document === undefined) return null;
      const pipeline = toWirePipeline(document.file, document.pipelineId, document.parse);
      return { version: document.document.version, pipeline };
    },
    [P.DocumentSymbolMethod]: (params) => {
      const document = documents.get(readUri(params));
      return document === undefined ? null : documentSymbols(document);
    },
  };
  return { requests, notifications: syncHandlers(documents, publisher) };
}

/** `didOpen`, `didChange` and `didClose`: the open documents, and their diagnostics. */
function syncHandlers(
  documents: OpenDocuments,
  publisher: DiagnosticsPublisher,
): LanguageHandlers['notifications'] {
  return {
    [P.DidOpenTextDocumentMethod]: (params: unknown) => {
      const document = documents.open(params);
      if (document !== undefined) publisher.opened(document);
    },
    [P.DidChangeTextDocumentMethod]: (params: unknown) => {
      const document = documents.change(params);
      if (document !== undefined) publisher.changed(document, () => documents.get(document.uri));
    },
    [P.DidCloseTextDocumentMethod]: (params: unknown) => {
      const document = documents.get(readUri(params));
      const uri = documents.close(params);
      if (uri !== undefined && document !== undefined) publisher.closed(uri, document.file);
    },
  };
}

/**
 * Past runs only add to completion and hover: a run store that cannot be read
 * (a disk error, a run folder half written) is logged and read as no runs,
 * never turned into a failed request.
 */
function forgivingHistory(history: PipelineHistory, logger: Logger): PipelineHistory {
  const orNothing = async <T>(
    pipelineId: string,
    read: Promise<ReadonlyMap<string, T>>,
  ): Promise<ReadonlyMap<string, T>> => {
    try {
      return await read;
    } catch (error) {
      logger.warn(`Reading past runs of ${pipelineId} failed: ${String(error)}`);
      return new Map();
    }
  };
  return {
    lastStageRuns: (id, file) => orNothing(id, history.lastStageRuns(id, file)),
    outputNames: (id, file) => orNothing(id, history.outputNames(id, file)),
  };
}
