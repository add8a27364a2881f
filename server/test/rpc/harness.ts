/**
 * An in-memory client for the real connection: raw bytes in, parsed frames
 * out, over PassThrough streams. Waits use predicates with a deadline.
 */
import { PassThrough } from 'node:stream';
import {
  createConnection,
  type Connection,
  type ConnectionOptions,
} from '../../src/rpc/connection';
import { FrameParser } from '../../src/rpc/frameParser';
import { encodeFrame } from '../../src/rpc/transport';

/** A message the server wrote. */
export type Sent = Record<string, unknown> & {
  id?: unknown;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
};

/** One connection under test and the client end of its streams. */
export interface Harness {
  readonly connection: Connection;
  /** Everything the server wrote, parsed, in order (a batch answer is one array element). */
  readonly received: (Sent | Sent[])[];
  /** Resolves with the exit code once the connection asked to exit. */
  readonly exited: Promise<{ code: 0 | 1; reason: string }>;
  /** The client's end: what it writes reaches the server. */
  readonly toServer: PassThrough;
  writeRaw(bytes: string | Buffer): void;
  send(message: unknown): void;
  /** Sends a request and resolves with the response to it. */
  request(method: string, params?: unknown, id?: number | string): Promise<Sent>;
  /** Waits for a message matching `predicate`, failing after `timeoutMs`. */
  waitFor<T extends Sent | Sent[]>(
    predicate: (message: Sent | Sent[]) => message is T,
    timeoutMs?: number,
  ): Promise<T>;
  waitFor(
    predicate: (message: Sent | Sent[]) => boolean,
    timeoutMs?: number,
  ): Promise<Sent | Sent[]>;
  /** Sends initialize + initialized. */
  initialize(params?: Record<string, unknown>): Promise<Sent>;
}

let nextId = 1000;

/** Creates a connection over PassThrough streams with `options` merged in. */
export function createHarness(options: Partial<ConnectionOptions> = {}): Harness {
  const toServer = new PassThrough();
  const fromServer = new PassThrough();
  const received: (Sent | Sent[])[] = [];
  const waiters = new Set<() => void>();
  const parser = new FrameParser(
    {
      onFrame: (body) => {
        received.push(JSON.parse(body.toString('utf8')) as Sent | Sent[]);
        for (const wake of waiters) wake();
      },
      onFrameError: (message) => {
        throw new Error(`The server wrote a broken frame: ${message}`);
      },
    },
    1 << 30,
  );
  fromServer.on('data', (chunk: Buffer) => parser.push(chunk));
  let resolveExit: (value: { code: 0 | 1; reason: string }) => void = () => undefined;
  const exited = new Promise<{ code: 0 | 1; reason: string }>((resolve) => (resolveExit = resolve));
  const connection = createConnection({
    input: toServer,
    output: fromServer,
    serverVersion: '9.9.9-test',
    onExit: (code, reason) => resolveExit({ code, reason }),
    ...options,
  });

  const waitFor = (
    predicate: (message: Sent | Sent[]) => boolean,
    timeoutMs = 5000,
  ): Promise<Sent | Sent[]> =>
    new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = received.find(predicate);
        if (found === undefined) return false;
        waiters.delete(wake);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const wake = (): void => void check();
      const timer = setTimeout(() => {
        waiters.delete(wake);
        reject(
          new Error(
            `No matching message within ${timeoutMs} ms; got ${JSON.stringify(received).slice(0, 2000)}`,
          ),
        );
      }, timeoutMs);
      if (!check()) waiters.add(wake);
    });

  const harness: Harness = {
    connection,
    received,
    exited,
    toServer,
    writeRaw: (bytes) => toServer.write(bytes),
    send: (message) => toServer.write(encodeFrame(message)),
    request: async (method, params, id = nextId++) => {
      harness.send({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });
      return (await waitFor(
        (m) => !Array.isArray(m) && m.id === id && m.method === undefined,
      )) as Sent;
    },
    waitFor: waitFor as Harness['waitFor'],
    initialize: async (params = {}) => {
      const response = await harness.request('initialize', {
        processId: null,
        capabilities: {},
        ...params,
      });
      harness.send({ jsonrpc: '2.0', method: 'initialized', params: {} });
      return response;
    },
  };
  return harness;
}

/** True for a `window/logMessage` notification. */
export function isLogMessage(message: Sent | Sent[]): message is Sent {
  return !Array.isArray(message) && message.method === 'window/logMessage';
}
