/**
 * The JSON-RPC connection: Content-Length frames in and out (transport),
 * json-rpc-2.0 for method dispatch and server→client requests, and the LSP
 * life cycle, cancellation and tracing around it. Handlers of Baton's own
 * requests come in as a table typed by the protocol's `ServerRequests`.
 */
import type { Readable, Writable } from 'node:stream';
import {
  JSONRPCClient,
  JSONRPCServer,
  JSONRPCServerAndClient,
  createJSONRPCErrorResponse,
  type JSONRPCID,
  type JSONRPCRequest,
  type JSONRPCResponse,
} from 'json-rpc-2.0';
import * as P from '@baton/protocol';
import { createLifecycle, type Lifecycle, type LifecycleHooks } from './lspLifecycle';
import { createLogger, type Logger, type LogLevel } from './logger';
import { classifyMessage } from './messages';
import { createRequestMiddleware, mapThrownError, type RequestContext } from './middleware';
import { createTransport, type Transport } from './transport';
import { validators, type BatonRequestMethod, type ParamsOf } from './validate';

export type { RequestContext } from './middleware';

/** Most messages accepted in one batch; a larger batch is refused as a whole. */
export const MAX_BATCH_SIZE = 1000;

/** The result type of a request. */
export type ResultOf<M extends P.ServerRequestMethod> = P.ServerRequests[M]['result'];

/** Handles one Baton request; params arrive validated. Throw `rpcError(...)` for a specific error code. */
export type RequestHandler<M extends BatonRequestMethod> = (
  params: ParamsOf<M>,
  context: RequestContext,
) => ResultOf<M> | Promise<ResultOf<M>>;

/** The table of Baton request handlers; a method without one answers -32601. */
export type RequestHandlers = { readonly [M in BatonRequestMethod]?: RequestHandler<M> };

/** Handles one LSP language request (`textDocument/*`); it validates its own raw params. */
export type LanguageRequestHandler = (params: unknown, context: RequestContext) => unknown;

/** Handles one LSP language notification (`textDocument/didOpen`, …); raw params. */
export type LanguageNotificationHandler = (params: unknown) => void;

/** The language features' handlers, by method. */
export interface LanguageHandlers {
  readonly requests: Readonly<Record<string, LanguageRequestHandler>>;
  readonly notifications: Readonly<Record<string, LanguageNotificationHandler>>;
}

/** Options of `createConnection`. */
export interface ConnectionOptions extends LifecycleHooks {
  readonly input: Readable;
  readonly output: Writable;
  /** Reported as `serverInfo.version`. */
  readonly serverVersion: string;
  readonly handlers?: RequestHandlers;
  readonly maxMessageBytes?: number;
  /** Client-process liveness check interval (default 3 s). */
  readonly parentPollMs?: number;
  /** Lowest level sent through `window/logMessage` (default `log`). */
  readonly logLevel?: LogLevel;
  /** Called once the client sent `window/workDoneProgress/cancel`. */
  readonly onProgressCancel?: (token: P.ProgressToken) => void;
  /** The `initialize` result's capabilities: what `setLanguageHandlers` will serve. */
  readonly capabilities?: Readonly<Record<string, unknown>>;
  /** Requests of the client handled at once; one more is refused (default `MAX_REQUESTS_IN_FLIGHT`). */
  readonly maxRequestsInFlight?: number;
}

/** A live connection to one client. */
export interface Connection {
  /** Levelled logs to the client (`window/logMessage`). */
  readonly logger: Logger;
  /** Sends a notification; the promise settles when the output took it (backpressure). */
  notify<M extends P.ServerNotificationMethod>(
    method: M,
    params: P.ServerNotifications[M],
  ): Promise<void>;
  /**
   * Calls `hook` with the method of each notification `notify` sends, just
   * before it is written (the event feed lets what it gathered go first, so
   * notifications keep the order of what they tell).
   */
  beforeNotify(hook: (method: P.ServerNotificationMethod) => void): void;
  /** Sends a request to the client and waits for its answer (default timeout 30 s). */
  request<M extends P.ClientRequestMethod>(
    method: M,
    params: P.ClientRequests[M]['params'],
    timeoutMs?: number,
  ): Promise<P.ClientRequests[M]['result']>;
  /** Bytes sent but not yet read by the client: a slow client makes this grow. */
  backlog(): number;
  /** Installs (or replaces) Baton request handlers. */
  setHandlers(handlers: RequestHandlers): void;
  /** Installs (or replaces) the LSP language features' handlers. */
  setLanguageHandlers(handlers: LanguageHandlers): void;
  /** The `initialize` params, once received. */
  readonly initializeParams: P.InitializeParams | undefined;
  /** Ends the connection as `exit` would, with this exit code. */
  close(code: 0 | 1, reason: string): void;
}

/** Creates a connection over `input`/`output` and starts reading. */
export function createConnection(options: ConnectionOptions): Connection {
  return new RpcConnection(options);
}

/** The `Connection` implementation; one per client. */
class RpcConnection implements Connection {
  readonly logger: Logger;
  private readonly transport: Transport;
  private readonly rpc: JSONRPCServerAndClient<RequestContext, void>;
  private readonly lifecycle: Lifecycle;
  /** Requests being handled, by id, so `$/cancelRequest` can abort them. */
  private readonly pending = new Map<string, AbortController>();
  /** Requests received and not yet answered (until the answer is written out): at most `maxInFlight`. */
  private inFlight = 0;
  private readonly maxInFlight: number;
  private notifyHook: ((method: P.ServerNotificationMethod) => void) | undefined;
  /** Language notifications (`textDocument/didOpen`, …), by method. */
  private languageNotifications: LanguageHandlers['notifications'] = {};

  constructor(options: ConnectionOptions) {
    this.logger = createLogger((type, message) => {
      void this.sendNotification({ method: P.LogMessageMethod, params: { type, message } });
    }, options.logLevel);
    this.transport = createTransport(
      options.input,
      options.output,
      {
        onFrame: (body) => void this.handleFrame(body),
        onFrameError: (message) => this.logger.error(message),
        onClose: (reason) => this.lifecycle.exit(reason),
      },
      options.maxMessageBytes === undefined ? {} : { maxMessageBytes: options.maxMessageBytes },
    );
    this.maxInFlight = options.maxRequestsInFlight ?? P.MAX_REQUESTS_IN_FLIGHT;
    this.rpc = this.createRpc();
    this.lifecycle = createLifecycle({
      options,
      logger: this.logger,
      notifyTrace: (params) => void this.sendNotification({ method: P.LogTraceMethod, params }),
      onExit: () => this.release(),
      onOtherNotification: (method, params) => {
        // Own keys only: a method named `constructor` must not reach Object's.
        const notifications = this.languageNotifications;
        const handler = Object.hasOwn(notifications, method) ? notifications[method] : undefined;
        handler?.(params);
        return handler !== undefined;
      },
    });
    this.rpc.server.addMethod(P.InitializeMethod, (params: unknown) =>
      this.lifecycle.initialize(params),
    );
    this.rpc.server.addMethod(P.ShutdownMethod, () => this.lifecycle.shutdown());
    this.rpc.applyServerMiddleware(...createRequestMiddleware(this.lifecycle));
    this.setHandlers(options.handlers ?? {});
  }

  get initializeParams(): P.InitializeParams | undefined {
    return this.lifecycle.initializeParams;
  }

  notify<M extends P.ServerNotificationMethod>(
    method: M,
    params: P.ServerNotifications[M],
  ): Promise<void> {
    this.notifyHook?.(method);
    return this.sendNotification({ method, params });
  }

  beforeNotify(hook: (method: P.ServerNotificationMethod) => void): void {
    this.notifyHook = hook;
  }

  async request<M extends P.ClientRequestMethod>(
    method: M,
    params: P.ClientRequests[M]['params'],
    timeoutMs = 30_000,
  ): Promise<P.ClientRequests[M]['result']> {
    return (await this.rpc
      .timeout(timeoutMs)
      .request(method, params)) as P.ClientRequests[M]['result'];
  }

  setHandlers(handlers: RequestHandlers): void {
    for (const method of Object.keys(validators) as BatonRequestMethod[]) {
      const handler = handlers[method] as RequestHandler<typeof method> | undefined;
      if (handler === undefined) continue;
      const validate = validators[method] as (params: unknown) => ParamsOf<typeof method>;
      this.rpc.server.addMethod(method, (params: unknown, context: RequestContext) =>
        handler(validate(params), context),
      );
    }
  }

  setLanguageHandlers(handlers: LanguageHandlers): void {
    for (const [method, handler] of Object.entries(handlers.requests)) {
      this.rpc.server.addMethod(method, (params: unknown, context: RequestContext) =>
        handler(params, context),
      );
    }
    this.languageNotifications = handlers.notifications;
  }

  close(code: 0 | 1, reason: string): void {
    this.lifecycle.exit(reason, code);
  }

  backlog(): number {
    return this.transport.backlog();
  }

  private createRpc(): JSONRPCServerAndClient<RequestContext, void> {
    const server = new JSONRPCServer<RequestContext>({
      errorListener: (message, data) => logThrown(this.logger, message, data),
    });
    server.mapErrorToJSONRPCErrorResponse = mapThrownError;
    const client = new JSONRPCClient<void>((payload) => this.send(payload));
    return new JSONRPCServerAndClient(server, client, {
      errorListener: (message) => this.logger.warn(message),
    });
  }

  /** Answers and requests to the client: never queued behind notifications. */
  private send(payload: unknown): Promise<void> {
    return this.transport.write(payload, 'answer');
  }

  /** Notifications keep their order among themselves and give way to answers. */
  private sendNotification(message: { method: string; params: unknown }): Promise<void> {
    return this.transport.write({ jsonrpc: '2.0', ...message }, 'notification');
  }

  /** Frees what the connection holds once it ends. */
  private release(): void {
    for (const controller of this.pending.values()) controller.abort();
    this.rpc.rejectAllPendingRequests('The connection closed');
    this.transport.dispose();
  }

  private async handleFrame(body: Buffer): Promise<void> {
    let value: unknown;
    try {
      value = JSON.parse(body.toString('utf8'));
    } catch (error) {
      this.logger.warn(`Parse error: ${(error as Error).message}`);
      await this.send(createJSONRPCErrorResponse(null, P.ErrorCodes.ParseError, 'Parse error'));
      return;
    }
    // The requests of this frame count as in flight until their answers are written.
    const frame: FrameRequests = { admitted: 0 };
    try {
      const response = Array.isArray(value)
        ? await this.handleBatch(value, frame)
        : await this.handleOne(value, frame);
      if (response !== null) await this.send(response);
    } finally {
      this.inFlight -= frame.admitted;
    }
  }

  private async handleBatch(
    batch: unknown[],
    frame: FrameRequests,
  ): Promise<JSONRPCResponse | JSONRPCResponse[] | null> {
    if (batch.length === 0 || batch.length > MAX_BATCH_SIZE) {
      const reason =
        batch.length === 0 ? 'an empty batch' : `a batch above ${MAX_BATCH_SIZE} messages`;
      return createJSONRPCErrorResponse(
        null,
        P.ErrorCodes.InvalidRequest,
        `Invalid Request: ${reason}`,
      );
    }
    const responses = await Promise.all(batch.map((value) => this.handleOne(value, frame)));
    const answered = responses.filter((response): response is JSONRPCResponse => response !== null);
    return answered.length === 0 ? null : answered;
  }

  private async handleOne(value: unknown, frame: FrameRequests): Promise<JSONRPCResponse | null> {
    const incoming = classifyMessage(value);
    switch (incoming.kind) {
      case 'invalid':
        this.logger.warn(`Invalid message: ${incoming.reason}`);
        if (!incoming.answer) return null;
        return createJSONRPCErrorResponse(
          incoming.id,
          P.ErrorCodes.InvalidRequest,
          `Invalid Request: ${incoming.reason}`,
        );
      case 'response':
        this.rpc.client.receive(incoming.message);
        return null;
      case 'notification':
        this.lifecycle.handleNotification(incoming.message, (id) =>
          this.pending.get(keyOf(id))?.abort(),
        );
        return null;
      case 'request':
        return this.admit(incoming.message, frame) ?? this.handleRequest(incoming.message);
      default: {
        const never: never = incoming;
        return never;
      }
    }
  }

  /**
   * Counts a request as in flight, or refuses it with `TooManyRequests` when
   * the client already has `maxInFlight` unanswered: a client that sends
   * faster than answers are built would otherwise grow a backlog of answers
   * without bound. The life cycle's requests are always admitted.
   */
  private admit(
    message: JSONRPCRequest & { id: JSONRPCID },
    frame: FrameRequests,
  ): JSONRPCResponse | undefined {
    if (message.method === P.InitializeMethod || message.method === P.ShutdownMethod)
      return undefined;
    if (this.inFlight >= this.maxInFlight) {
      const data: P.TooManyRequestsData = { limit: this.maxInFlight };
      return createJSONRPCErrorResponse(
        message.id,
        P.ErrorCodes.TooManyRequests,
        `Too many requests in flight: the server answers at most ${this.maxInFlight} at once; send ${message.method} again once answers arrive`,
        data,
      );
    }
    this.inFlight += 1;
    frame.admitted += 1;
    return undefined;
  }

  private async handleRequest(
    message: JSONRPCRequest & { id: JSONRPCID },
  ): Promise<JSONRPCResponse | null> {
    const controller = new AbortController();
    const key = keyOf(message.id);
    this.pending.set(key, controller);
    try {
      return await this.rpc.server.receive(message, { id: message.id, signal: controller.signal });
    } finally {
      if (this.pending.get(key) === controller) this.pending.delete(key);
    }
  }
}

/** How many requests of one frame were admitted (counted in flight). */
interface FrameRequests {
  admitted: number;
}

/** A map key for a request id (`1` and `"1"` are different ids). */
function keyOf(id: JSONRPCID | undefined): string {
  return JSON.stringify(id ?? null);
}

/** json-rpc-2.0 reports every thrown error; only unexpected ones are worth an error line. */
function logThrown(logger: Logger, message: string, error: unknown): void {
  if (error instanceof Error && 'code' in error) logger.trace(`${message} ${error.message}`);
  else logger.error(message, error);
}
