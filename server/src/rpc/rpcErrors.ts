import { JSONRPCErrorException } from 'json-rpc-2.0';
import { ErrorCodes, type ErrorCode, type InvalidParamsData } from '@baton/protocol';

/** Creates the exception a handler throws to answer with a Baton or JSON-RPC error code. */
export function rpcError(code: ErrorCode, message: string, data?: unknown): JSONRPCErrorException {
  return new JSONRPCErrorException(message, code, data);
}

/** The `-32602` error for a wrong field, with `data: { field, reason }`. */
export function invalidParams(field: string, reason: string): JSONRPCErrorException {
  const data: InvalidParamsData = { field, reason };
  const where = field === '' ? 'params' : field;
  return new JSONRPCErrorException(
    `Invalid params: ${where}: ${reason}`,
    ErrorCodes.InvalidParams,
    data,
  );
}

/** True when `error` carries a JSON-RPC error code of its own. */
export function isRpcError(error: unknown): error is JSONRPCErrorException {
  return error instanceof JSONRPCErrorException;
}
