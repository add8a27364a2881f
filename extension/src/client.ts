import type * as vscode from 'vscode';
import type {
  CloseHandlerResult,
  ErrorHandler,
  ErrorHandlerResult,
  LanguageClientOptions,
  ServerOptions,
} from 'vscode-languageclient/node';
import { CloseAction, LanguageClient, TransportKind } from 'vscode-languageclient/node';
import type { InitializationOptions } from '@baton/protocol';

/** The client id: also the prefix of the `baton.trace.server` setting the client honours. */
export const CLIENT_ID = 'baton';
/** How many crashes within three minutes the client restarts from before it gives up. */
const MAX_RESTARTS = 4;
/** The port `Attach to Server` in .vscode/launch.json connects to. */
export const SERVER_DEBUG_PORT = 6010;

/** The documents the server serves language features for: pipeline files on disk. */
export const PIPELINE_DOCUMENTS = [
  { scheme: 'file', pattern: '**/*.pipeline.{yaml,yml,json}' },
] as const satisfies LanguageClientOptions['documentSelector'];

/** What `createClient` needs. */
export interface ClientSetup {
  /** Absolute path of the bundled server (`dist/server.js`). */
  readonly serverModule: string;
  readonly initializationOptions: InitializationOptions;
  readonly outputChannel: vscode.LogOutputChannel;
  /** Told whenever the connection closed, and whether the client restarts the server. */
  readonly onClosed: (restarting: boolean) => void;
}

/**
 * Builds (does not start) the language client that launches
 * `node dist/server.js --stdio`; with the extension host under a debugger the
 * server gets `--inspect` so `Attach to Server` can connect.
 */
export function createClient(setup: ClientSetup): LanguageClient {
  const serverOptions: ServerOptions = {
    run: { module: setup.serverModule, transport: TransportKind.stdio },
    debug: {
      module: setup.serverModule,
      transport: TransportKind.stdio,
      options: { execArgv: ['--nolazy', `--inspect=${SERVER_DEBUG_PORT}`] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    // The server is the language server of pipeline files: it gets their text as it is typed.
    documentSelector: PIPELINE_DOCUMENTS,
    outputChannel: setup.outputChannel,
    initializationOptions: setup.initializationOptions,
    connectionOptions: { maxRestartCount: MAX_RESTARTS },
  };
  const client = new LanguageClient(CLIENT_ID, 'Baton', serverOptions, clientOptions);
  client.clientOptions.errorHandler = wrapErrorHandler(
    client.createDefaultErrorHandler(MAX_RESTARTS),
    setup.onClosed,
  );
  return client;
}

/**
 * Wraps the client's default error handler, keeping its crash-loop protection
 * (it stops restarting after too many crashes in a short time) and telling the
 * owner about every close, so the UI can mark runs as reconnecting.
 */
export function wrapErrorHandler(
  inner: ErrorHandler,
  onClosed: (restarting: boolean) => void,
): ErrorHandler {
  return {
    error: (error, message, count): ErrorHandlerResult | Promise<ErrorHandlerResult> =>
      inner.error(error, message, count),
    closed: async (): Promise<CloseHandlerResult> => {
      const result = await inner.closed();
      onClosed(result.action === CloseAction.Restart);
      return result;
    },
  };
}
