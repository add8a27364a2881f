import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DidChangeRunMethod,
  ExitMethod,
  InitializedMethod,
  InitializeMethod,
  ShutdownMethod,
  WorkDoneProgressCreateMethod,
} from '@baton/protocol';
import type {
  RunStatus,
  ServerNotificationMethod,
  ServerNotifications,
  ServerRequestMethod,
  ServerRequests,
} from '@baton/protocol';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node';
import type { Disposable, MessageConnection } from 'vscode-jsonrpc/node';
import { BATON_BIN } from './paths';

/** Run statuses after which nothing more happens without a resume. */
const ENDED: ReadonlySet<RunStatus> = new Set(['succeeded', 'failed', 'cancelled', 'interrupted']);

/**
 * Extra Node options for the server process from `BATON_BENCH_SERVER_NODE_ARGS`
 * (space-separated), e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it;
 * Node refuses `--cpu-prof` in NODE_OPTIONS.
 */
function serverNodeArgs(): string[] {
  return (process.env.BATON_BENCH_SERVER_NODE_ARGS ?? '')
    .split(' ')
    .filter((arg) => arg.length > 0);
}

/** Where a server works. */
export interface ServerOptions {
  /** The workspace folder: pipelines are looked up here. */
  readonly workspace: string;
  /** The state dir (`initializationOptions.stateDir`). */
  readonly stateDir: string;
}

/**
 * A `baton serve --stdio` child process and a vscode-jsonrpc connection to it,
 * typed by the protocol's method maps, as an editor would hold it.
 */
export class BatonServerClient {
  private readonly exited: Promise<void>;
  private readonly listeners = new Map<string, Set<(params: never) => void>>();
  /** Subscription lists being filled by `trackSubscriptions`, innermost last. */
  private readonly recording: Disposable[][] = [];

  private constructor(
    private readonly child: ChildProcess,
    private readonly connection: MessageConnection,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    // Progress tokens are accepted and their reports ignored: the bench reads didChangeRun.
    connection.onRequest(WorkDoneProgressCreateMethod, () => null);
  }

  /** Starts a server and runs the `initialize` / `initialized` handshake. */
  static async start(options: ServerOptions): Promise<BatonServerClient> {
    const child = spawn(process.execPath, [...serverNodeArgs(), BATON_BIN, 'serve', '--stdio'], {
      cwd: options.workspace,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout = child.stdout;
    const stdin = child.stdin;
    if (stdout === null || stdin === null) throw new Error('the server has no stdio pipes');
    child.stderr?.resume();
    const connection = createMessageConnection(
      new StreamMessageReader(stdout),
      new StreamMessageWriter(stdin),
    );
    const client = new BatonServerClient(child, connection);
    connection.listen();
    await client.request(InitializeMethod, {
      processId: process.pid,
      workspaceFolders: [
        { uri: pathToFileURL(options.workspace).href, name: path.basename(options.workspace) },
      ],
      initializationOptions: { stateDir: options.stateDir, trusted: true },
      capabilities: {},
    });
    await connection.sendNotification(InitializedMethod, {});
    return client;
  }

  /** The server's process id. */
  get pid(): number {
    if (this.child.pid === undefined) throw new Error('the server did not start');
    return this.child.pid;
  }

  /** Sends a request and resolves with its typed result. */
  request<M extends ServerRequestMethod>(
    method: M,
    params: ServerRequests[M]['params'],
  ): Promise<ServerRequests[M]['result']> {
    return this.connection.sendRequest(method, params) as Promise<ServerRequests[M]['result']>;
  }

  /**
   * Listens to a notification from the server. vscode-jsonrpc keeps one
   * handler per method, so the client fans each method out to its listeners.
   */
  onNotification<M extends ServerNotificationMethod>(
    method: M,
    handler: (params: ServerNotifications[M]) => void,
  ): Disposable {
    let listeners = this.listeners.get(method);
    if (listeners === undefined) {
      const created = new Set<(params: never) => void>();
      listeners = created;
      this.listeners.set(method, created);
      this.connection.onNotification(method, (params: ServerNotifications[M]) => {
        for (const listener of [...created])
          (listener as (p: ServerNotifications[M]) => void)(params);
      });
    }
    const added = handler as (params: never) => void;
    listeners.add(added);
    const subscription = { dispose: () => void listeners.delete(added) };
    this.recording.at(-1)?.push(subscription);
    return subscription;
  }

  /** Runs `body` and returns the subscriptions it made, so they can be disposed together. */
  trackSubscriptions(body: () => void): Disposable[] {
    const made: Disposable[] = [];
    this.recording.push(made);
    try {
      body();
    } finally {
      this.recording.pop();
    }
    return made;
  }

  /**
   * Resolves with the run's status once a `didChangeRun` says it ended;
   * rejects after `timeoutMs`. Listen before starting the run.
   */
  waitForRunEnd(runId: () => string | undefined, timeoutMs: number): Promise<RunStatus> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        subscription.dispose();
        reject(new Error(`the run did not end within ${timeoutMs} ms`));
      }, timeoutMs);
      const subscription = this.onNotification(DidChangeRunMethod, (params) => {
        if (params.run.runId !== runId() || !ENDED.has(params.run.status)) return;
        clearTimeout(timer);
        subscription.dispose();
        resolve(params.run.status);
      });
    });
  }

  /** `shutdown` then `exit`; kills the process if it has not gone within two seconds. */
  async close(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      try {
        await withDeadline(this.request(ShutdownMethod, null), 2000);
        await this.connection.sendNotification(ExitMethod, null);
      } catch {
        // A server that cannot shut down cleanly is killed below.
      }
      const gone = await withDeadline(this.exited, 2000).then(
        () => true,
        () => false,
      );
      if (!gone) this.child.kill('SIGKILL');
    }
    this.connection.dispose();
  }
}

/** Resolves like `promise`, or rejects after `ms`. */
export function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
