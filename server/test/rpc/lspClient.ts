/**
 * A plain LSP client on vscode-jsonrpc, talking to a real `baton serve
 * --stdio`, as an editor other than VS Code would: no Baton code on the
 * client side.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import {
  StreamMessageReader,
  StreamMessageWriter,
  createMessageConnection,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type { Diagnostic } from 'vscode-languageserver-types';
import { BATON_BIN, until } from './serverHarness';

/** One `textDocument/publishDiagnostics`. */
export interface Published {
  readonly uri: string;
  readonly version?: number;
  readonly diagnostics: Diagnostic[];
}

/** A running `baton serve --stdio` and the client talking to it. */
export interface LspSession {
  readonly child: ChildProcessWithoutNullStreams;
  readonly client: MessageConnection;
  readonly exited: Promise<number | null>;
  /** Every publishDiagnostics received, oldest first. */
  readonly published: Published[];
  /** Waits for diagnostics of `uri` that satisfy `predicate`, and returns them. */
  diagnosticsOf(
    uri: string,
    predicate: (p: Published) => boolean,
    what: string,
  ): Promise<Published>;
  /** Sends `shutdown` and `exit`, and waits for the process to end. */
  stop(): Promise<number | null>;
}

/** Starts `baton serve --stdio` in `workspace` and initializes it as an editor would. */
export async function startLspSession(
  workspace: string,
): Promise<{ session: LspSession; capabilities: Record<string, unknown> }> {
  const child = spawn(process.execPath, [BATON_BIN, 'serve', '--stdio'], {
    cwd: workspace,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const client = createMessageConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  const published: Published[] = [];
  client.onNotification('textDocument/publishDiagnostics', (params: Published) => {
    published.push(params);
  });
  client.listen();
  const result: { capabilities: Record<string, unknown> } = await client.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(workspace).href,
    capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } } },
  });
  await client.sendNotification('initialized', {});
  const session: LspSession = {
    child,
    client,
    exited,
    published,
    async diagnosticsOf(uri, predicate, what) {
      let found: Published | undefined;
      await until(
        () =>
          (found = published.filter((p) => p.uri === uri).at(-1)) !== undefined && predicate(found),
        15000,
        () => `${what}; received ${JSON.stringify(published.filter((p) => p.uri === uri))}`,
      );
      return found as Published;
    },
    async stop() {
      await client.sendRequest('shutdown');
      await client.sendNotification('exit');
      const code = await exited;
      client.dispose();
      return code;
    },
  };
  return { session, capabilities: result.capabilities };
}
