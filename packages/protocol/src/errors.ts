import type { LockInfo, WireDiagnostic } from './wirePipeline';

/**
 * Error codes the server answers with. The JSON-RPC and LSP codes keep their
 * standard meaning; Baton's own live in -32010..-32049, inside the range
 * JSON-RPC reserves for implementation-defined server errors and clear of the
 * two codes LSP takes from it (-32001, -32002).
 */
export const ErrorCodes = {
  /** The frame body is not valid JSON. Answered with `id: null`. */
  ParseError: -32700,
  /** The message is JSON but not a valid JSON-RPC request (also: any request after `shutdown`). */
  InvalidRequest: -32600,
  /** No such method. */
  MethodNotFound: -32601,
  /** The params are missing or have a wrong type; `data` is `InvalidParamsData`. */
  InvalidParams: -32602,
  /** The server failed unexpectedly while handling the request; it keeps serving. */
  InternalError: -32603,
  /** A request other than `initialize` arrived before `initialize` (LSP). */
  ServerNotInitialized: -32002,
  /** The client cancelled the request with `$/cancelRequest` (LSP). */
  RequestCancelled: -32800,
  /** A language request could not be done, for the reason its message gives (LSP), e.g. a rename to a taken id. */
  RequestFailed: -32803,

  /** No run with that id is known (neither in memory nor in the state dir). */
  RunNotFound: -32010,
  /** No pipeline with that id or file. */
  PipelineNotFound: -32011,
  /** The pipeline file has errors; `data` is `PipelineInvalidData`. */
  PipelineInvalid: -32012,
  /** The run has no prompt with that id. */
  PromptNotFound: -32013,
  /** The prompt was already answered, defaulted or abandoned. */
  PromptClosed: -32014,
  /** The run is not active (it already ended), so it cannot be stopped or answered. */
  RunNotActive: -32015,
  /** The run cannot be resumed or retried (it is still running, or it succeeded). */
  RunNotResumable: -32016,
  /** The run's pipeline has no stage with that id. */
  StageNotFound: -32017,
  /** Another live process holds the pipeline's lock; `data` is `LockHeldData`. */
  LockHeld: -32018,
  /** The pipeline has no lock to show or break. */
  LockNotFound: -32019,
  /** The workspace is not trusted, so the server runs nothing. */
  WorkspaceUntrusted: -32020,
  /** The state dir cannot be created, read or written (permissions, disk full). */
  StateDirUnavailable: -32021,
  /**
   * The run needs secrets nobody gave (only when the request said
   * `secretsRequired`); `data` is `SecretsMissingData`. Nothing started.
   */
  SecretsMissing: -32022,
  /**
   * A `debug` request names a stage that cannot be debugged here: its command
   * starts with neither `node` nor `python`, or the client cannot attach to
   * its runtime; `data` is `StageNotDebuggableData`. Nothing started.
   */
  StageNotDebuggable: -32023,
  /**
   * The client already has `MAX_REQUESTS_IN_FLIGHT` requests the server has
   * not answered (an answer counts until it is written out), so this one was
   * refused without being handled; `data` is `TooManyRequestsData`. Send it
   * again once answers arrive. Refusing keeps an impatient client from
   * growing the server's memory with a backlog of answers.
   */
  TooManyRequests: -32024,
} as const;

/**
 * How many requests of one client the server handles at once (sent, not yet
 * answered); one more is refused with `TooManyRequests`. `initialize`,
 * `shutdown` and notifications are never refused.
 */
export const MAX_REQUESTS_IN_FLIGHT = 64;

/** `data` of a `TooManyRequests` error. */
export interface TooManyRequestsData {
  /** `MAX_REQUESTS_IN_FLIGHT`: the requests this client may have unanswered at once. */
  readonly limit: number;
}

/** A code from `ErrorCodes`. */
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** `data` of an `InvalidParams` error: which field is wrong and why. */
export interface InvalidParamsData {
  /** A dotted path into the params, e.g. `inputs.count` or `value`; empty for the params as a whole. */
  readonly field: string;
  readonly reason: string;
}

/** `data` of a `PipelineInvalid` error. */
export interface PipelineInvalidData {
  readonly diagnostics: readonly WireDiagnostic[];
}

/** `data` of a `LockHeld` error. */
export interface LockHeldData {
  readonly lock: LockInfo;
}

/** `data` of a `SecretsMissing` error. */
export interface SecretsMissingData {
  /**
   * The names from the pipeline's `secrets:` that have no value: not in the
   * server's environment, the pipeline's `env:` or dotenv file, nor the
   * request's `secrets`. In the order the pipeline lists them.
   */
  readonly missing: readonly string[];
}
