/**
 * The parts of the Language Server Protocol Baton speaks, so that
 * `vscode-languageclient` and any `vscode-jsonrpc` client work unchanged:
 * the life cycle, cancellation, tracing, logging and work-done progress.
 */

/** Options a client passes in `initialize.initializationOptions`. */
export interface InitializationOptions {
  /** Where runs live; defaults to `<first workspace folder>/.baton`. */
  readonly stateDir?: string;
  /** False when the workspace is untrusted: the server then starts, resumes and retries nothing. Default true. */
  readonly trusted?: boolean;
  /** Max stages running at once per run; defaults to the pipeline's setting, else the CPU count. */
  readonly concurrency?: number;
  /**
   * The live-log budget: bytes of `baton/didAppendLog` text per second, across
   * every stage (default {@link DEFAULT_LIVE_LOG_BYTES_PER_SECOND}; at least
   * 1024). Up to twice that goes out at once after a quiet spell. Output beyond
   * it is not sent live: the next message of each stage carries its newest
   * text, and its `offset` skips the rest, which `baton/getLog` reads.
   */
  readonly liveLogBytesPerSecond?: number;
}

/** The live-log budget when `initializationOptions.liveLogBytesPerSecond` is not given: 512 KiB/s. */
export const DEFAULT_LIVE_LOG_BYTES_PER_SECOND = 512 * 1024;

/** A workspace folder (LSP). */
export interface WorkspaceFolder {
  readonly uri: string;
  readonly name: string;
}

/** LSP trace levels, set by `$/setTrace` or `initialize.trace`. */
export type TraceValue = 'off' | 'messages' | 'verbose';

/** `initialize` params: the LSP fields Baton reads; other LSP fields are accepted and ignored. */
export interface InitializeParams {
  /** The client's process id; the server exits when that process dies. Null: no parent watch. */
  readonly processId: number | null;
  readonly clientInfo?: { readonly name: string; readonly version?: string };
  /** Used when `workspaceFolders` is absent. */
  readonly rootUri?: string | null;
  readonly rootPath?: string | null;
  readonly workspaceFolders?: readonly WorkspaceFolder[] | null;
  readonly initializationOptions?: InitializationOptions;
  readonly capabilities: Readonly<Record<string, unknown>>;
  readonly trace?: TraceValue;
}

/** `initialize` result. */
export interface InitializeResult {
  /** LSP server capabilities: the language features for pipeline files (see `language.ts`). */
  readonly capabilities: Readonly<Record<string, unknown>>;
  readonly serverInfo: { readonly name: 'baton'; readonly version: string };
  /** `PROTOCOL_VERSION` of the server, so a client can refuse an incompatible one. */
  readonly protocolVersion: number;
}

/** Sent from the client to the server first; the server answers nothing else before it (-32002). */
export const InitializeMethod = 'initialize';
/** Sent from the client to the server once it has processed the `initialize` result. */
export const InitializedMethod = 'initialized';
/** Sent from the client to the server to ask it to stop its work; `exit` follows. Result: null. */
export const ShutdownMethod = 'shutdown';
/** Sent from the client to the server to end the process: exit code 0 after `shutdown`, else 1. */
export const ExitMethod = 'exit';
/** Sent from the client to the server to cancel a pending request, which then fails with -32800. */
export const CancelRequestMethod = '$/cancelRequest';
/** Sent from the client to the server to change the trace level. */
export const SetTraceMethod = '$/setTrace';
/** Sent from the server to the client with a trace line, when tracing is on. */
export const LogTraceMethod = '$/logTrace';
/** Sent from the server to the client with a levelled log line for its output channel. */
export const LogMessageMethod = 'window/logMessage';
/** Sent from the server to the client with a message worth showing the user (e.g. a missed schedule). */
export const ShowMessageMethod = 'window/showMessage';
/** Sent from the server to the client to create a progress token before `$/progress` uses it. */
export const WorkDoneProgressCreateMethod = 'window/workDoneProgress/create';
/** Sent from the client to the server when the user cancels a cancellable progress (stops the run). */
export const WorkDoneProgressCancelMethod = 'window/workDoneProgress/cancel';
/** Sent from the server to the client to begin, report or end a work-done progress. */
export const ProgressMethod = '$/progress';

/** `$/cancelRequest` params. */
export interface CancelParams {
  readonly id: number | string;
}

/** `$/setTrace` params. */
export interface SetTraceParams {
  readonly value: TraceValue;
}

/** `$/logTrace` params. */
export interface LogTraceParams {
  readonly message: string;
  readonly verbose?: string;
}

/** LSP message types: 1 error, 2 warning, 3 info, 4 log, 5 debug. */
export const MessageType = { Error: 1, Warning: 2, Info: 3, Log: 4, Debug: 5 } as const;

/** A value of `MessageType`. */
export type MessageTypeValue = (typeof MessageType)[keyof typeof MessageType];

/** `window/logMessage` params. */
export interface LogMessageParams {
  readonly type: MessageTypeValue;
  readonly message: string;
}

/** `window/showMessage` params. */
export interface ShowMessageParams {
  readonly type: MessageTypeValue;
  readonly message: string;
}

/** A progress token: Baton uses `baton/run/<runId>`. */
export type ProgressToken = number | string;

/** `window/workDoneProgress/create` params. Result: null. */
export interface WorkDoneProgressCreateParams {
  readonly token: ProgressToken;
}

/** `window/workDoneProgress/cancel` params. */
export interface WorkDoneProgressCancelParams {
  readonly token: ProgressToken;
}

/** The first `$/progress` value of a token. */
export interface WorkDoneProgressBegin {
  readonly kind: 'begin';
  readonly title: string;
  readonly cancellable?: boolean;
  readonly message?: string;
  readonly percentage?: number;
}

/** A `$/progress` update. */
export interface WorkDoneProgressReport {
  readonly kind: 'report';
  readonly cancellable?: boolean;
  readonly message?: string;
  readonly percentage?: number;
}

/** The last `$/progress` value of a token. */
export interface WorkDoneProgressEnd {
  readonly kind: 'end';
  readonly message?: string;
}

/** `$/progress` params for work-done progress. */
export interface ProgressParams {
  readonly token: ProgressToken;
  readonly value: WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;
}
