import type { JSONRPCID, JSONRPCRequest, JSONRPCResponse } from 'json-rpc-2.0';
import { isPlainObject } from './paramReader';

/** What an incoming JSON value turned out to be. */
export type IncomingMessage =
  | { readonly kind: 'request'; readonly message: JSONRPCRequest & { readonly id: JSONRPCID } }
  | { readonly kind: 'notification'; readonly message: JSONRPCRequest }
  | { readonly kind: 'response'; readonly message: JSONRPCResponse }
  /**
   * Not a valid JSON-RPC 2.0 message; `id` is the one to answer with (null
   * when unusable). A broken response is never answered (`answer` false).
   */
  | {
      readonly kind: 'invalid';
      readonly id: JSONRPCID;
      readonly reason: string;
      readonly answer: boolean;
    };

/** True for a valid JSON-RPC id. */
function isId(value: unknown): value is JSONRPCID {
  return (
    typeof value === 'string' ||
    (typeof value === 'number' && Number.isFinite(value)) ||
    value === null
  );
}

/**
 * Classifies one element of a message or batch by the JSON-RPC 2.0 rules,
 * more strictly than json-rpc-2.0 does, so nothing malformed reaches it.
 */
export function classifyMessage(value: unknown): IncomingMessage {
  if (!isPlainObject(value)) return invalid(null, 'a message must be an object');
  const id = 'id' in value ? value.id : undefined;
  const answerId = isId(id) ? id : null;
  if (value.jsonrpc !== '2.0') return invalid(answerId, '"jsonrpc" must be "2.0"');
  if ('result' in value || 'error' in value) return classifyResponse(value, answerId);
  if (typeof value.method !== 'string') return invalid(answerId, '"method" must be a string');
  if (id !== undefined && !isId(id))
    return invalid(null, '"id" must be a string, a number or null');
  // `params: null` is not strictly JSON-RPC, but some LSP clients send it for "no params".
  const params = value.params;
  if (params !== undefined && typeof params !== 'object') {
    return invalid(answerId, '"params" must be an object or an array');
  }
  const message = value as unknown as JSONRPCRequest;
  if (id === undefined) return { kind: 'notification', message };
  return { kind: 'request', message: message as JSONRPCRequest & { id: JSONRPCID } };
}

function classifyResponse(value: Record<string, unknown>, id: JSONRPCID): IncomingMessage {
  const hasResult = 'result' in value;
  const error = value.error;
  const validError =
    isPlainObject(error) && typeof error.code === 'number' && typeof error.message === 'string';
  if (
    !('id' in value) ||
    !isId(value.id) ||
    hasResult === 'error' in value ||
    (!hasResult && !validError)
  ) {
    const reason = 'a response needs an id and exactly one of "result" and a valid "error"';
    return { kind: 'invalid', id, reason, answer: false };
  }
  return { kind: 'response', message: value as unknown as JSONRPCResponse };
}

function invalid(id: JSONRPCID, reason: string): IncomingMessage {
  return { kind: 'invalid', id, reason, answer: true };
}
