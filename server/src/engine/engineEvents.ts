import type { StageDebugTarget } from './debug/debugLaunch';
import type { AnswerValue, LoggedEvent, PromptState, RunState, RunStatus } from '@baton/core';

/** A `::notice`, `::warning`, `::error` or `::debug` line a stage printed. */
export interface StageAnnotation {
  readonly level: 'debug' | 'notice' | 'warning' | 'error';
  readonly message: string;
  readonly title?: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

/** One accepted event of a run with the run's state before and after it (all masked). */
export interface RunChange {
  readonly before: RunState;
  readonly event: LoggedEvent;
  readonly after: RunState;
}

/**
 * What the engine tells its listeners (the CLI's views, the RPC server).
 * Every payload is already masked: no secret value reaches a listener.
 * `seq` is the run's event sequence number after the change.
 */
export interface EngineEvents {
  /** An event was accepted and appended to the run's event log. */
  event: { readonly runId: string; readonly event: LoggedEvent };
  /**
   * The run's state changed (status, a stage, progress, prompts). `changes`
   * are the events accepted since the previous `runChanged`, in order (one,
   * except for the events that finish the run, told once the run is let go of).
   */
  runChanged: {
    readonly runId: string;
    readonly seq: number;
    readonly state: RunState;
    readonly changes: readonly RunChange[];
  };
  /**
   * Output of a stage attempt, in batches of whole or partial lines. The
   * engine emits a `LogBatch`: `text` is decoded when first read, and
   * `bytes` (its UTF-8 length) is known without decoding it.
   */
  log: {
    readonly runId: string;
    readonly stage: string;
    readonly attempt: number;
    readonly text: string;
    readonly bytes: number;
  };
  /**
   * Baton wrote a note to the run's own log (`run.log`), masked: who answered
   * a pipeline input, and what. `bytes` is its UTF-8 length.
   */
  runLog: { readonly runId: string; readonly text: string; readonly bytes: number };
  /** A prompt wants an answer (a pipeline input or a stage's question). */
  promptOpened: { readonly runId: string; readonly seq: number; readonly prompt: PromptState };
  /** A prompt closed; `answer` is absent when it closed unanswered (timeout, exit, cancel). */
  promptClosed: {
    readonly runId: string;
    readonly seq: number;
    readonly promptId: string;
    readonly answer?: AnswerValue;
    readonly by: string;
  };
  /** A stage printed an annotation. */
  annotation: {
    readonly runId: string;
    readonly stage: string;
    readonly attempt: number;
    readonly annotation: StageAnnotation;
  };
  /** A debugged attempt waits for a debugger there, or cannot be debugged ("Debug Stage"). */
  debugTarget: {
    readonly runId: string;
    readonly stage: string;
    readonly attempt: number;
    readonly target: StageDebugTarget;
  };
  /** The run reached a final or resumable status and this engine let go of it. */
  runFinished: { readonly runId: string; readonly status: RunStatus; readonly reason?: string };
  /** Something worth telling the user: a stale lock reclaimed, a wait behind another run. */
  notice: { readonly runId?: string; readonly message: string };
  /** Something went wrong that is not a stage's fault (a rejected event, a failed write). */
  problem: { readonly runId?: string; readonly message: string };
}
