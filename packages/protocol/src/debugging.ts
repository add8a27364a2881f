/**
 * Debugging one stage under an editor's debugger ("Debug Stage"): what the
 * client asks for on `baton/retryStage` and what the server tells it back in
 * `baton/didOpenDebugTarget`.
 */

/** What a debugged stage runs: `node …` (the V8 inspector) or `python …` (debugpy). */
export type DebugRuntime = 'node' | 'python';

/**
 * `baton/retryStage`'s `debug` option: run the stage's next attempt under a
 * debugger. The server starts that one attempt with its runtime's debug
 * server waiting on a loopback port before the stage's first line, and tells
 * the client where with `baton/didOpenDebugTarget`.
 */
export interface DebugOptions {
  /**
   * The runtimes the client can attach a debugger to. A stage whose command
   * starts with another program, or with a runtime not listed, is refused with
   * StageNotDebuggable (`data` is `StageNotDebuggableData`) and nothing runs.
   */
  readonly attach: readonly DebugRuntime[];
}

/** `data` of a `StageNotDebuggable` error. */
export interface StageNotDebuggableData {
  /** The stage's runtime; null when its command starts with neither `node` nor `python`. */
  readonly runtime: DebugRuntime | null;
  /** The program the stage's command starts with, e.g. `sh` or `python3`. */
  readonly program: string;
}

/**
 * Where a debugged attempt waits for a debugger: always a loopback address.
 * Node: the inspector's port (`--inspect-brk`), the process paused before
 * its first line until a debugger attaches and resumes it. Python: debugpy's
 * port (`--wait-for-client`), the script started once a client attached.
 */
export interface DebugEndpoint {
  readonly kind: 'listening';
  readonly runtime: DebugRuntime;
  /** Always `127.0.0.1`. */
  readonly host: string;
  readonly port: number;
  /** Node only: the inspector's WebSocket URL (`ws://127.0.0.1:PORT/<id>`). */
  readonly url?: string;
}

/**
 * The debugged attempt cannot be debugged after all, found out where it runs:
 * debugpy is not importable by the stage's Python. The attempt fails with the
 * same words in its log.
 */
export interface DebugUnavailable {
  readonly kind: 'unavailable';
  readonly runtime: DebugRuntime;
  /** What is missing and how to get it, in a sentence. */
  readonly reason: string;
}

/** What `baton/didOpenDebugTarget` says about a debugged attempt. */
export type DebugTarget = DebugEndpoint | DebugUnavailable;
