import {
  JSONRPCErrorException,
  createJSONRPCErrorResponse,
  type JSONRPCErrorResponse,
  type JSONRPCID,
  type JSONRPCServerMiddleware,
} from 'json-rpc-2.0';
import { ErrorCodes } from '@baton/protocol';
import type { Lifecycle } from './lspLifecycle';

/** What a request handler gets besides its params. */
export interface RequestContext {
  readonly id: JSONRPCID;
  /** Aborted when the client cancels the request (`$/cancelRequest`) or the connection ends. */
  readonly signal: AbortSignal;
}

type Middleware = JSONRPCServerMiddleware<RequestContext>;

/**
 * The server middleware, outermost first: the life-cycle gate (-32002 before
 * `initialize`, -32600 after `shutdown`), tracing, and cancellation (a
 * cancelled request is answered -32800 at once, whatever its handler does).
 */
export function createRequestMiddleware(lifecycle: Lifecycle): Middleware[] {
  const gate: Middleware = async (next, request, context) => {
    const refusal = lifecycle.refuse(request.method);
    if (refusal !== undefined) {
      return createJSONRPCErrorResponse(request.id ?? null, refusal.code, refusal.message);
    }
    return next(request, context);
  };
  const trace: Middleware = async (next, request, context) => {
    const started = performance.now();
    const response = await next(request, context);
    lifecycle.traceRequest(request, performance.now() - started, response?.error?.code);
    return response;
  };
  const cancellation: Middleware = (next, request, context) => {
    const cancelled = new Promise<JSONRPCErrorResponse>((resolve) => {
      const answer = (): void =>
        resolve(
          createJSONRPCErrorResponse(context.id, ErrorCodes.RequestCancelled, 'Request cancelled'),
        );
      if (context.signal.aborted) answer();
      else context.signal.addEventListener('abort', answer, { once: true });
    });
    return Promise.race([next(request, context), cancelled]);
  };
  return [gate, trace, cancellation];
}

/**
 * Turns what a handler threw into an error response: JSON-RPC errors keep
 * their code and data; anything else is an internal error (-32603), never
 * json-rpc-2.0's default code 0.
 */
export function mapThrownError(id: JSONRPCID, error: unknown): JSONRPCErrorResponse {
  if (error instanceof JSONRPCErrorException) {
    return createJSONRPCErrorResponse(id, error.code, error.message, error.data);
  }
  const message = error instanceof Error ? error.message : String(error);
  return createJSONRPCErrorResponse(id, ErrorCodes.InternalError, `Internal error: ${message}`);
}
