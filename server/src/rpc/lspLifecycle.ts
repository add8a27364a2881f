import type { JSONRPCRequest } from 'json-rpc-2.0';
import * as P from '@baton/protocol';
import { rpcError } from './rpcErrors';
import type { Logger } from './logger';
import { isPlainObject } from './paramReader';
import { watchParentProcess } from './parentWatch';
import { validateInitialize } from './validate';

/** Hooks the server shell plugs into the LSP life cycle. */
export interface LifecycleHooks {
  /** Runs while `initialize` is answered; Baton requests wait for it. Throwing fails `initialize`. */
  readonly onInitialize?: (params: P.InitializeParams) => Promise<void> | void;
  /** The client sent `initialized`. */
  readonly onInitialized?: () => void;
  /** Runs while `shutdown` is answered: stop watching, scheduling and timers. */
  readonly onShutdown?: () => Promise<void> | void;
  /** The connection ended (`exit`, input closed, client process died): the process should exit with `code`. */
  readonly onExit: (code: 0 | 1, reason: string) => void;
}

/** What the life cycle needs from the connection. */
export interface LifecycleOptions {
  readonly options: LifecycleHooks & {
    readonly serverVersion: string;
    readonly parentPollMs?: number;
    readonly onProgressCancel?: (token: P.ProgressToken) => void;
    /** The `initialize` result's capabilities (default none). */
    readonly capabilities?: Readonly<Record<string, unknown>>;
  };
  readonly logger: Logger;
  readonly notifyTrace: (params: P.LogTraceParams) => void;
  /** Releases the connection's resources before `onExit` runs. */
  readonly onExit: () => void;
  /** Handles a notification the life cycle does not know; false when nothing handles it. */
  readonly onOtherNotification: (method: string, params: unknown) => boolean;
}

/** Where the connection is in the LSP life cycle. */
export type LifecycleState = 'created' | 'initializing' | 'running' | 'shutdown' | 'exited';

/** The LSP life cycle of one connection. */
export interface Lifecycle {
  readonly state: LifecycleState;
  readonly initializeParams: P.InitializeParams | undefined;
  /** Answers `initialize`. */
  initialize(params: unknown): Promise<P.InitializeResult>;
  /** Answers `shutdown`. */
  shutdown(): Promise<null>;
  /** The error a request gets in the current state, if any. */
  refuse(method: string): { code: number; message: string } | undefined;
  /** Handles a client notification; `cancel` aborts a pending request by id. */
  handleNotification(message: JSONRPCRequest, cancel: (id: number | string) => void): void;
  /** Sends a `$/logTrace` line for a handled request when tracing is on. */
  traceRequest(request: JSONRPCRequest, elapsedMs: number, errorCode: number | undefined): void;
  /** Ends the connection; `code` defaults to 0 after `shutdown`, else 1. Runs once. */
  exit(reason: string, code?: 0 | 1): void;
}

/** Creates the life cycle; see `Lifecycle`. */
export function createLifecycle(config: LifecycleOptions): Lifecycle {
  return new LspLifecycle(config);
}

class LspLifecycle implements Lifecycle {
  state: LifecycleState = 'created';
  initializeParams: P.InitializeParams | undefined;
  private trace: P.TraceValue = 'off';
  private stopParentWatch = (): void => undefined;

  constructor(private readonly config: LifecycleOptions) {}

  async initialize(raw: unknown): Promise<P.InitializeResult> {
    const valid = validateInitialize(raw);
    this.state = 'initializing';
    this.trace = valid.trace ?? 'off';
    try {
      await this.config.options.onInitialize?.(valid);
    } catch (error) {
      this.state = 'created';
      throw error;
    }
    this.initializeParams = valid;
    this.state = 'running';
    if (typeof valid.processId === 'number') this.watchParent(valid.processId);
    return {
      capabilities: this.config.options.capabilities ?? {},
      serverInfo: { name: 'baton', version: this.config.options.serverVersion },
      protocolVersion: P.PROTOCOL_VERSION,
    };
  }

  async shutdown(): Promise<null> {
    this.state = 'shutdown';
    await this.config.options.onShutdown?.();
    return null;
  }

  refuse(method: string): { code: number; message: string } | undefined {
    if (method === P.InitializeMethod) {
      if (this.state === 'created') return undefined;
      return { code: P.ErrorCodes.InvalidRequest, message: 'The server is already initialized' };
    }
    if (this.state === 'created' || this.state === 'initializing') {
      return {
        code: P.ErrorCodes.ServerNotInitialized,
        message: 'The server is not initialized yet',
      };
    }
    if (this.state === 'running') return undefined;
    return { code: P.ErrorCodes.InvalidRequest, message: 'The server is shutting down' };
  }

  handleNotification(message: JSONRPCRequest, cancel: (id: number | string) => void): void {
    try {
      this.dispatchNotification(message, cancel);
    } catch (error) {
      this.config.logger.error(`The ${message.method} notification failed`, error);
    }
  }

  traceRequest(request: JSONRPCRequest, elapsedMs: number, errorCode: number | undefined): void {
    if (this.trace === 'off') return;
    const outcome = errorCode === undefined ? 'ok' : `error ${errorCode}`;
    const message = `${request.method} (${String(request.id)}): ${outcome} in ${elapsedMs.toFixed(1)} ms`;
    if (this.trace !== 'verbose') return this.config.notifyTrace({ message });
    const verbose = `Params: ${JSON.stringify(withoutSecretValues(request.params ?? null)).slice(0, 4096)}`;
    this.config.notifyTrace({ message, verbose });
  }

  exit(reason: string, code?: 0 | 1): void {
    if (this.state === 'exited') return;
    const exitCode = code ?? (this.state === 'shutdown' ? 0 : 1);
    this.state = 'exited';
    this.stopParentWatch();
    this.config.onExit();
    this.config.options.onExit(exitCode, reason);
  }

  private watchParent(pid: number): void {
    this.stopParentWatch = watchParentProcess(
      pid,
      () => this.exit(`the client process ${pid} is gone`),
      this.config.options.parentPollMs,
    );
  }

  private dispatchNotification(
    message: JSONRPCRequest,
    cancel: (id: number | string) => void,
  ): void {
    const body: unknown = message.params;
    if (message.method === P.ExitMethod) return this.exit('the client sent exit');
    // LSP: before initialize, notifications other than exit are dropped.
    if (this.state === 'created')
      return this.config.logger.trace(`Dropped ${message.method}: not initialized`);
    switch (message.method) {
      case P.InitializedMethod:
        return this.config.options.onInitialized?.();
      case P.CancelRequestMethod:
        if (isPlainObject(body) && isIdOrToken(body.id)) return cancel(body.id);
        throw rpcError(P.ErrorCodes.InvalidParams, '$/cancelRequest needs { id }');
      case P.SetTraceMethod:
        if (!isPlainObject(body) || !isTraceValue(body.value)) {
          throw rpcError(
            P.ErrorCodes.InvalidParams,
            '$/setTrace needs { value: off|messages|verbose }',
          );
        }
        this.trace = body.value;
        return;
      case P.WorkDoneProgressCancelMethod:
        if (isPlainObject(body) && isIdOrToken(body.token)) {
          return this.config.options.onProgressCancel?.(body.token);
        }
        throw rpcError(
          P.ErrorCodes.InvalidParams,
          'window/workDoneProgress/cancel needs { token }',
        );
      default:
        if (this.config.onOtherNotification(message.method, body)) return;
        return this.config.logger.trace(`Ignored the notification ${message.method}`);
    }
  }
}

function isIdOrToken(value: unknown): value is number | string {
  return typeof value === 'number' || typeof value === 'string';
}

function isTraceValue(value: unknown): value is P.TraceValue {
  return value === 'off' || value === 'messages' || value === 'verbose';
}

/**
 * Request params as a trace may show them: the values of `secrets` (see
 * `RunSecrets`) become `***`, since a trace ends up in the client's log files.
 */
function withoutSecretValues(params: unknown): unknown {
  if (typeof params !== 'object' || params === null || !('secrets' in params)) return params;
  const { secrets } = params as { secrets: unknown };
  if (typeof secrets !== 'object' || secrets === null) return params;
  const hidden = Object.fromEntries(Object.keys(secrets).map((name) => [name, '***']));
  return { ...params, secrets: hidden };
}
