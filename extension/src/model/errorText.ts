import { ErrorCodes } from '@baton/protocol';

interface RpcErrorLike {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly data?: unknown;
}

/** The JSON-RPC error code of a failed request, if it has one. */
export function errorCode(error: unknown): number | undefined {
  const code = (error as RpcErrorLike | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * A failed request in plain words: the server's message, plus which field
 * was wrong and why for invalid params.
 */
export function errorText(error: unknown): string {
  if (error === null || typeof error !== 'object') return String(error);
  const { message, data } = error as RpcErrorLike;
  const text = typeof message === 'string' && message !== '' ? message : String(error);
  if (errorCode(error) === ErrorCodes.InvalidParams && data !== null && typeof data === 'object') {
    const { field, reason } = data as { field?: unknown; reason?: unknown };
    if (typeof reason === 'string') {
      return typeof field === 'string' && field !== ''
        ? `${text} (${field}: ${reason})`
        : `${text} (${reason})`;
    }
  }
  return text;
}
