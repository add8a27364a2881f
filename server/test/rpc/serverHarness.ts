/** Drives the built server (out/src/main.js) as a child process with vscode-jsonrpc. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  StreamMessageReader,
  StreamMessageWriter,
  createMessageConnection,
  type MessageConnection,
} from 'vscode-jsonrpc/node';

/** The compiled server entry and the baton CLI. */
export const MAIN = path.join(__dirname, '..', '..', 'src', 'main.js');
export const BATON_BIN = path.join(__dirname, '..', '..', '..', 'bin', 'baton.js');

/** A notification the client received (Baton's and LSP's window/progress ones). */
export interface Received {
  readonly method: string;
  readonly params: { seq: number } & Record<string, unknown>;
}

/** A running server and a client connected to it. */
export interface StartedServer {
  readonly child: ChildProcessWithoutNullStreams;
  readonly client: MessageConnection;
  readonly exited: Promise<number | null>;
  readonly notifications: Received[];
}

/** Starts the server in `workspace` (with this process's environment plus `env`) and connects a vscode-jsonrpc client. */
export function startServer(workspace: string, env: NodeJS.ProcessEnv = {}): StartedServer {
  const child = spawn(process.execPath, [MAIN], {
    cwd: workspace,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const client = createMessageConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  const notifications: Received[] = [];
  client.onNotification((method, params) => {
    if (method.startsWith('baton/') || method.startsWith('window/') || method === '$/progress') {
      notifications.push({ method, params: params as Received['params'] });
    }
  });
  client.listen();
  return { child, client, exited, notifications };
}

/** Sends initialize (+ initialized) for `workspace`. */
export async function initializeServer(
  server: StartedServer,
  workspace: string,
  extra: Record<string, unknown> = {},
): Promise<unknown> {
  const result = await server.client.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(workspace).href,
    capabilities: {},
    ...extra,
  });
  await server.client.sendNotification('initialized', {});
  return result;
}

/** Polls `predicate` until true, failing after `timeoutMs` with `what` (computed at that moment). */
export function until(
  predicate: () => boolean,
  timeoutMs: number,
  what: string | (() => string),
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (predicate()) return resolve();
      if (Date.now() > deadline) {
        const message = typeof what === 'string' ? what : what();
        return reject(new Error(`Timed out after ${timeoutMs} ms: ${message}`));
      }
      setTimeout(check, 10);
    };
    check();
  });
}

/** The params of the notifications with this method. */
export function paramsOf<T>(server: StartedServer, method: string): T[] {
  return server.notifications
    .filter((n) => n.method === method)
    .map((n) => n.params as unknown as T);
}
