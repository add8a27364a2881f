/**
 * Baton's notifications from the server to the client. Each carries `seq`:
 * for event notifications it is the event's global sequence number; for the
 * others (`didAppendLog`, `didChangePipelines`) it is the newest sequence
 * number assigned when they were sent, so a client can order everything it
 * receives and knows where to resume `baton/getEvents` from.
 */
import type { BatonEvent } from './batonEvent';
import type { AnswerValue, PromptInfo } from './promptInfo';
import type { RunSummary } from './runSummary';
import type { WireAnnotation } from './stageReports';
import type { StageSnapshot } from './stageSnapshot';
import type { WirePipeline } from './wirePipeline';
import type { DebugTarget } from './debugging';

/** Sent from the server to the client when a run's or its stages' status, progress or timings change. */
export const DidChangeRunMethod = 'baton/didChangeRun';
/**
 * `baton/didChangeRun` params: what one event of the run (one line of its
 * `events.jsonl`) changed. Each `didChangeRun` has its own `seq`, the last
 * of its `events`.
 */
export interface DidChangeRunParams {
  readonly seq: number;
  /** The feed events of this change, oldest first, as `baton/getEvents` returns them. */
  readonly events: readonly BatonEvent[];
  /** The run's summary after the change. */
  readonly run: RunSummary;
  /** The stages this change touched, after it. */
  readonly stages: readonly StageSnapshot[];
}

/**
 * Sent from the server to the client when stages wrote output: batched per
 * run, stage and attempt (about every 50 ms), never one message per line.
 * Live log has a budget (`InitializationOptions.liveLogBytesPerSecond`):
 * past it, each message carries the newest text of its stage and its
 * `offset` skips the rest, which `baton/getLog` reads.
 */
export const DidAppendLogMethod = 'baton/didAppendLog';

/**
 * The `stage` that names a run's own log (`run.log`) in `baton/didAppendLog`
 * and `baton/getLog`: Baton's notes that belong to the run rather than to
 * one stage, such as "[baton] input `version`: answered `v1.2` in the
 * editor". No stage id can be this (ids start with a letter or `_`). Its
 * `attempt` is always 1.
 */
export const RUN_LOG_STAGE = '(run)';

/** `baton/didAppendLog` params. */
export interface DidAppendLogParams {
  readonly seq: number;
  readonly runId: string;
  /** The stage (or fanned-out unit) that wrote the text; `RUN_LOG_STAGE` for the run's own log. */
  readonly stage: string;
  readonly attempt: number;
  /** The new text, masked, whole UTF-8 characters. */
  readonly text: string;
  /**
   * Byte offset of `text` in the attempt's log. When it is past what the
   * client has, the gap can be read with `baton/getLog`. Messages of one
   * attempt never overlap or go back, and the last one ends where the log
   * ends: live text and gaps give back the whole log, in order.
   */
  readonly offset: number;
}

/** Sent from the server to the client when a run asks a question (a pipeline input or a stage prompt). */
export const DidOpenPromptMethod = 'baton/didOpenPrompt';
/** `baton/didOpenPrompt` params. */
export type DidOpenPromptParams = PromptInfo & { readonly seq: number };

/** Sent from the server to the client when a prompt closes: answered (from anywhere), defaulted, or abandoned. */
export const DidClosePromptMethod = 'baton/didClosePrompt';
/** `baton/didClosePrompt` params. */
export interface DidClosePromptParams {
  readonly seq: number;
  readonly runId: string;
  readonly promptId: string;
  /** Absent for secret prompts and prompts closed without an answer. */
  readonly answer?: AnswerValue;
  /** Who closed it: `rpc`, `cli`, `default`, `timeout`, `cancel`, … */
  readonly by: string;
}

/** Sent from the server to the client when a pipeline file was added, edited or deleted. */
export const DidChangePipelinesMethod = 'baton/didChangePipelines';
/** `baton/didChangePipelines` params: the whole new list, as `baton/listPipelines` returns it. */
export interface DidChangePipelinesParams {
  readonly seq: number;
  readonly pipelines: readonly WirePipeline[];
}

/** Sent from the server to the client when a stage printed a `::error`, `::warning` or `::notice` annotation. */
export const DidAnnotateMethod = 'baton/didAnnotate';
/** `baton/didAnnotate` params. */
export interface DidAnnotateParams {
  readonly seq: number;
  readonly runId: string;
  readonly stage: string;
  readonly attempt: number;
  readonly annotation: WireAnnotation;
}

/**
 * Sent from the server to the client when a debugged attempt (`baton/retryStage`
 * with `debug`) is ready for a debugger: its runtime's debug server listens
 * on a loopback port and the stage waits there. Or, with `kind:
 * 'unavailable'`, when it turned out it cannot be debugged (debugpy missing).
 * Sent to every client; the one that asked attaches.
 */
export const DidOpenDebugTargetMethod = 'baton/didOpenDebugTarget';
/** `baton/didOpenDebugTarget` params. */
export interface DidOpenDebugTargetParams {
  readonly seq: number;
  readonly runId: string;
  readonly stage: string;
  readonly attempt: number;
  readonly target: DebugTarget;
}
