import type { Diagnostic } from '@baton/core';
import type { LockOwner } from '../store/lock';

/** Why the engine refused a request; the CLI maps each kind to an exit code and the RPC server to an error code. */
export type EngineErrorKind =
  /** The pipeline file has errors (see `diagnostics`). */
  | 'invalidPipeline'
  /** Inputs or an answer have the wrong type or name. */
  | 'invalidInput'
  /** Another live process holds the pipeline's lock or owns the run. */
  | 'busy'
  /** No such run, prompt or file. */
  | 'notFound'
  /** The run is in a state that does not allow the request (e.g. resuming a succeeded run). */
  | 'invalidState'
  /** Declared `secrets:` have no value and the caller asked to be told (see `missingSecrets`). */
  | 'secretsMissing';

/** A refusal with a plain-words message saying what and where. */
export class EngineError extends Error {
  constructor(
    readonly kind: EngineErrorKind,
    message: string,
    /** The pipeline file's problems, for `invalidPipeline`. */
    readonly diagnostics: readonly Diagnostic[] = [],
    /** Who holds the lock, for `busy`. */
    readonly owner?: LockOwner,
    /** The names of the secrets without a value, for `secretsMissing`. */
    readonly missingSecrets: readonly string[] = [],
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

/** Whether `error` is an `EngineError` (optionally of one kind). */
export function isEngineError(error: unknown, kind?: EngineErrorKind): error is EngineError {
  return error instanceof EngineError && (kind === undefined || error.kind === kind);
}

/** A lock owner in plain words: `pid 1234 on host build-1, running run <id> since 12:03:04`. */
export function describeOwner(owner: LockOwner): string {
  const since = new Date(owner.startedAt).toISOString().replace('T', ' ').slice(0, 19);
  const run = owner.runId === undefined ? '' : `, run ${owner.runId}`;
  return `pid ${owner.pid} on ${owner.host}${run}, since ${since} UTC`;
}
