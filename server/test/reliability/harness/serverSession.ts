/**
 * Drives the real server (`server/out/src/main.js`, what `baton serve
 * --stdio` and the bundled extension run) as a child process over stdio with
 * `vscode-jsonrpc`, the library `vscode-languageclient` uses. Every byte the
 * server sends is kept, so tests can search the whole wire for secrets.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node';
import type { MessageConnection } from 'vscode-jsonrpc/node';

/** The server entry point (compiled). */
export const SERVER_MAIN = path.resolve(__dirname, '..', '..', '..', 'src', 'main.js');

/** A notification the server sent. */
export interface ReceivedNotification {
  readonly method: string;
  readonly params: Record<string, unknown>;
}

/** A running, initialized server. */
export interface ServerSession {
  readonly child: ChildProcessWithoutNullStreams;
  readonly connection: MessageConnection;
  readonly notifications: ReceivedNotification[];
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
  /** Every byte the server wrote to stdout so far. */
  wire(): Buffer;
  /** What the server wrote to stderr so far. */
  stderr(): string;
  /** Kills the process with SIGKILL and waits for it to be gone. */
  kill(): Promise<void>;
}

/** Options of `startServer`. */
export interface ServerOptions {
  readonly workspace: string;
  readonly stateDir?: string;
  readonly trusted?: boolean;
  readonly env?: Readonly<Record<string, string>>;
}

/** Starts the server in `workspace` and completes the LSP handshake. */
export async function startServer(options: ServerOptions): Promise<ServerSession> {
  const child = spawn(process.execPath, [SERVER_MAIN], {
    cwd: options.workspace,
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const chunks: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const connection = createMessageConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  const notifications: ReceivedNotification[] = [];
  connection.onNotification((method, params) =>
    notifications.push({ method, params: params as Record<string, unknown> }),
  );
  // A killed server closes the pipes; the connection's errors are expected then.
  connection.onError(() => undefined);
  connection.listen();
  const session: ServerSession = {
    child,
    connection,
    notifications,
    exited,
    wire: () => Buffer.concat(chunks),
    stderr: () => stderr,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      connection.dispose();
    },
  };
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(options.workspace).href,
    workspaceFolders: [{ uri: pathToFileURL(options.workspace).href, name: 'workspace' }],
    capabilities: {},
    initializationOptions: {
      ...(options.stateDir === undefined ? {} : { stateDir: options.stateDir }),
      ...(options.trusted === undefined ? {} : { trusted: options.trusted }),
    },
  });
  await connection.sendNotification('initialized', {});
  return session;
}

/** Ends a session politely (`shutdown`, `exit`), or kills it when it does not answer. */
export async function stopServer(session: ServerSession): Promise<void> {
  if (session.child.exitCode !== null || session.child.signalCode !== null) return;
  try {
    await Promise.race([
      session.connection.sendRequest('shutdown'),
      new Promise((_, reject) => setTimeout(() => reject(new Error('no answer')), 3000)),
    ]);
    await session.connection.sendNotification('exit');
  } catch {
    // Fall through to the kill below.
  }
  const timer = setTimeout(() => session.child.kill('SIGKILL'), 3000);
  await session.exited;
  clearTimeout(timer);
  session.connection.dispose();
}

/** The code of a JSON-RPC error thrown by `sendRequest`, or undefined when `error` is something else. */
export function rpcErrorCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}
