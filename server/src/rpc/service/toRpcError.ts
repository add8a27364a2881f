import { ownerLiveness, type LockOwner } from '../../store/lock';
import { isEngineError } from '../../engine/engineErrors';
import { StoreError } from '../../store/storeError';
import * as P from '@baton/protocol';
import { invalidParams, isRpcError, rpcError } from '../rpcErrors';
import { defined } from '../defined';

/** Which protocol error an engine refusal becomes, per kind, for one request. */
export interface ErrorContext {
  readonly notFound: P.ErrorCode;
  readonly invalidState: P.ErrorCode;
  /** The params field an `invalidInput` refusal is about. */
  readonly inputField: string;
}

/** A lock owner on the wire. */
export function toLockInfo(pipeline: string, owner: LockOwner): P.LockInfo {
  const liveness = ownerLiveness(owner);
  return defined<P.LockInfo>({
    pipeline,
    runId: owner.runId,
    pid: owner.pid,
    host: owner.host,
    startedAt: owner.startedAt,
    heartbeatAt: owner.heartbeatAt,
    ownerAlive: liveness.alive,
    stale: !liveness.alive,
  });
}

/** Turns an engine refusal into the protocol's error; other errors pass through (→ -32603). */
export function toRpcError(error: unknown, context: ErrorContext): unknown {
  if (error instanceof StoreError && error.code === 'EBADID')
    return invalidParams('', error.message);
  if (error instanceof StoreError && error.code !== 'ENOENT') {
    // The state dir could not be written or read (permissions, disk full, corrupt files).
    return rpcError(P.ErrorCodes.StateDirUnavailable, error.message);
  }
  if (isRpcError(error) || !isEngineError(error)) return error;
  switch (error.kind) {
    case 'invalidPipeline':
      return rpcError(P.ErrorCodes.PipelineInvalid, error.message, {
        diagnostics: error.diagnostics,
      });
    case 'invalidInput':
      return invalidParams(context.inputField, error.message);
    case 'busy':
      return rpcError(
        P.ErrorCodes.LockHeld,
        error.message,
        error.owner === undefined
          ? undefined
          : { lock: toLockInfo(error.owner.runId ?? '', error.owner) },
      );
    case 'notFound':
      return rpcError(context.notFound, error.message);
    case 'invalidState':
      return rpcError(context.invalidState, error.message);
    case 'secretsMissing':
      return rpcError(P.ErrorCodes.SecretsMissing, error.message, {
        missing: error.missingSecrets,
      } satisfies P.SecretsMissingData);
    default: {
      const never: never = error.kind;
      return never;
    }
  }
}
