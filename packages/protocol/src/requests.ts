/**
 * Baton's requests from the client to the server. Every request may also fail
 * with the generic codes (-32602 bad params, -32603 internal, -32800
 * cancelled, -32002 before `initialize`); the JSDoc lists the specific ones.
 */
import type { BatonEvent } from './batonEvent';
import type { AnswerValue } from './promptInfo';
import type { ResumePlan, RunPlan } from './runPlans';
import type { RunSnapshot } from './runSnapshot';
import type { RunStatus, RunSummary } from './runSummary';
import type { LockInfo, WirePipeline } from './wirePipeline';
import type { DebugOptions } from './debugging';
import type { RunTimeline } from './timeline';
import type { RunComparison } from './runComparison';

/** Sent from the client to the server to list the workspace's pipeline files, valid or not. */
export const ListPipelinesMethod = 'baton/listPipelines';
/** `baton/listPipelines` params. */
export type ListPipelinesParams = Record<string, never>;
/** `baton/listPipelines` result, sorted by file path. */
export interface ListPipelinesResult {
  readonly pipelines: readonly WirePipeline[];
}

/**
 * Values for a pipeline's `secrets:` that the client holds (VS Code's
 * SecretStorage, or typed by the user), sent with the request that starts or
 * resumes a run. The server keeps them in memory for that run only: it never
 * writes them to a file (they are masked in every log, event and checkpoint,
 * like any secret), and a later resume must send them again.
 */
export interface RunSecrets {
  /**
   * Values by name; each name must be one the pipeline lists under
   * `secrets:` (else InvalidParams, naming it). A value given
   * here wins over the server's environment and the pipeline's dotenv file.
   */
  readonly secrets?: Readonly<Record<string, string>>;
  /**
   * True: when a secret of the pipeline has no value (none in the server's
   * environment, the pipeline's `env:` or dotenv file, nor `secrets`), fail
   * with SecretsMissing naming them, and start nothing, so the client can ask
   * for them and send the request again. Default false: the run starts and
   * its stages lack those variables, as with `baton run`.
   */
  readonly secretsRequired?: boolean;
}

/**
 * Sent from the client to the server to start a run. Inputs not given are
 * asked as prompts (`baton/didOpenPrompt`). Errors: PipelineNotFound,
 * PipelineInvalid, LockHeld, WorkspaceUntrusted, StateDirUnavailable,
 * SecretsMissing.
 */
export const StartRunMethod = 'baton/startRun';
/** `baton/startRun` params. */
export interface StartRunParams extends RunSecrets {
  /** A pipeline id or a pipeline file path (absolute, or relative to the first workspace folder). */
  readonly pipeline: string;
  readonly inputs?: Readonly<Record<string, AnswerValue>>;
  /** False: nobody will answer, prompts take their defaults. Default true. */
  readonly interactive?: boolean;
  /** Run these stages and what they need (up-to-date ones skipped); every stage when absent. */
  readonly stages?: readonly string[];
  /** Run this stage and everything downstream of it, ignoring the record for them. */
  readonly from?: string;
  /** Ignore the record: `true` for every stage, or for the stages named. */
  readonly force?: boolean | readonly string[];
  /**
   * Run one stage under a debugger ("Debug Stage" when there is no run to
   * retry): the run selects that stage, forced, and what it needs (up-to-date
   * ones skipped), and `stages`, `from` and `force` are ignored. Its attempt
   * is logged and recorded in the run, but its success is not recorded for
   * incremental skipping. `baton/didOpenDebugTarget` says where to attach.
   * Errors as without it, and StageNotDebuggable, StageNotFound.
   */
  readonly debug?: DebugOptions & { readonly stage: string };
}
/** `baton/startRun` result. */
export interface StartRunResult {
  readonly runId: string;
}

/**
 * Sent from the client to the server to learn what `baton/startRun` with the
 * same params would run and skip, and why; nothing runs. Errors:
 * PipelineNotFound, PipelineInvalid, InvalidParams (an unknown stage).
 */
export const PlanRunMethod = 'baton/planRun';
/** `baton/planRun` params: those of `baton/startRun` (`interactive` is ignored). */
export type PlanRunParams = StartRunParams;
/** `baton/planRun` result. */
export interface PlanRunResult {
  readonly plan: RunPlan;
}

/** Sent from the client to the server to stop a run: its stages' process trees are ended. Errors: RunNotFound, RunNotActive. */
export const StopRunMethod = 'baton/stopRun';
/** `baton/stopRun` params. */
export interface StopRunParams {
  readonly runId: string;
  readonly reason?: string;
}
/** `baton/stopRun` result. */
export type StopRunResult = Record<string, never>;

/**
 * Sent from the client to the server to resume an interrupted or failed run;
 * succeeded stages are skipped. With `dryRun` the plan is returned and nothing
 * starts. Secrets given when the run started are not kept, so they are sent
 * again (`secrets`). Errors: RunNotFound, RunNotResumable, LockHeld,
 * WorkspaceUntrusted, SecretsMissing.
 */
export const ResumeRunMethod = 'baton/resumeRun';
/** `baton/resumeRun` params. */
export interface ResumeRunParams extends RunSecrets {
  readonly runId: string;
  readonly dryRun?: boolean;
  readonly interactive?: boolean;
}
/** `baton/resumeRun` result. */
export interface ResumeRunResult {
  readonly runId: string;
  readonly plan: ResumePlan;
}

/**
 * Sent from the client to the server to run a stage of an ended run again
 * (and the stages after it); stages it does not lead to are kept. Secrets
 * travel as for `baton/resumeRun`. With `debug`, the stage's attempt runs
 * under a debugger (`baton/didOpenDebugTarget` says where). Errors:
 * RunNotFound, StageNotFound, RunNotResumable, LockHeld, WorkspaceUntrusted,
 * SecretsMissing, StageNotDebuggable.
 */
export const RetryStageMethod = 'baton/retryStage';
/** `baton/retryStage` params. */
export interface RetryStageParams extends RunSecrets {
  readonly runId: string;
  readonly stage: string;
  /**
   * Run the stage's attempt under a debugger ("Debug Stage"). The run's
   * inputs, env, the outputs of the stages it needs and its `$BATON_STATE`
   * are those of the run, as for any retry; the attempt is logged and
   * recorded in the run, but its success is not recorded for incremental
   * skipping (a debugger can change what the stage computes).
   */
  readonly debug?: DebugOptions;
  /**
   * With a fanned-out stage (`matrix:`/`foreach:`): run again only its units
   * that failed or did not finish, not its succeeded ones (the stage then
   * gathers them again). Errors: StageNotFound when the stage does not fan
   * out or has no such unit.
   */
  readonly failedItems?: boolean;
}
/** `baton/retryStage` result. */
export interface RetryStageResult {
  readonly runId: string;
  readonly plan: ResumePlan;
}

/**
 * Sent from the client to the server to list runs, newest first, a page at a
 * time: the whole history of a pipeline, not only its recent runs. A page is
 * read from each run's small history entry, so it costs about `limit` small
 * files however many runs are on disk. Errors: InvalidParams (a malformed
 * `cursor`).
 */
export const ListRunsMethod = 'baton/listRuns';
/** `baton/listRuns` params. */
export interface ListRunsParams {
  /** Only runs of this pipeline id. */
  readonly pipeline?: string;
  readonly status?: readonly RunStatus[];
  /** At most this many runs (default 50, at most 1000). */
  readonly limit?: number;
  /**
   * Only runs older than those already listed: the `nextCursor` of the page
   * before. Runs created meanwhile never shift a later page.
   */
  readonly cursor?: string;
}
/** `baton/listRuns` result. */
export interface ListRunsResult {
  readonly runs: readonly RunSummary[];
  /** Pass it as `cursor` for the next page; absent when there are no more runs. */
  readonly nextCursor?: string;
}

/**
 * Sent from the client to the server to get a run's snapshot: its summary,
 * inputs, prompts and stages. A fanned-out stage is one row with its item
 * counts (`StageSnapshot.items`) and, of its units, only the failed and
 * running ones (at most `SNAPSHOT_UNITS_PER_STAGE`); `baton/listItems` pages
 * the rest. So the answer's size follows the pipeline, not its 10,000 items.
 * Errors: RunNotFound.
 */
export const GetRunMethod = 'baton/getRun';
/** `baton/getRun` params. */
export interface GetRunParams {
  readonly runId: string;
  /** How many recent events to include (default 50, at most 1000). */
  readonly recentEvents?: number;
  /**
   * True: list every unit of every fanned-out stage (a snapshot as large as
   * the run; for tools that want it all). Default false.
   */
  readonly allUnits?: boolean;
}
/** `baton/getRun` result. */
export type GetRunResult = RunSnapshot;

/**
 * Sent from the client to the server to answer an open prompt. A value of the
 * wrong type fails with InvalidParams (`field: "value"`) and the prompt stays
 * open. Errors: RunNotFound, PromptNotFound, PromptClosed, RunNotActive.
 */
export const AnswerPromptMethod = 'baton/answerPrompt';
/** `baton/answerPrompt` params. */
export interface AnswerPromptParams {
  readonly runId: string;
  readonly promptId: string;
  readonly value: AnswerValue;
}
/** `baton/answerPrompt` result. */
export type AnswerPromptResult = Record<string, never>;

/**
 * Sent from the client to the server to read the event feed after a sequence
 * number, e.g. to fill a gap after a reconnect. Events come oldest first.
 */
export const GetEventsMethod = 'baton/getEvents';
/** `baton/getEvents` params. */
export interface GetEventsParams {
  /** Return events with `seq > afterSeq`; 0 for every event of this server process. */
  readonly afterSeq: number;
  readonly runId?: string;
  /** At most this many events (default 1000, at most 10000). */
  readonly limit?: number;
}
/** `baton/getEvents` result. */
export interface GetEventsResult {
  readonly events: readonly BatonEvent[];
  /** The newest sequence number the server has assigned (not only of the returned events). */
  readonly lastSeq: number;
  /** True when `limit` cut the answer: ask again with the last returned event's `seq`. */
  readonly hasMore: boolean;
  /**
   * The oldest sequence number the server can still return: 1, since events
   * that leave the in-memory ring go to a journal on disk, unless that
   * journal outgrew its bound (64 MiB) and started again, or could not be written. When `afterSeq + 1` is below it, events were dropped:
   * refetch snapshots with `baton/getRun`.
   */
  readonly firstSeq: number;
}

/** Sent from the client to the server to read a slice of a stage attempt's log. Errors: RunNotFound, StageNotFound. */
export const GetLogMethod = 'baton/getLog';
/** `baton/getLog` params. */
export interface GetLogParams {
  readonly runId: string;
  /** A stage (or fanned-out unit) of the run, or `RUN_LOG_STAGE` for the run's own log. */
  readonly stage: string;
  /** Default: the stage's latest attempt. */
  readonly attempt?: number;
  /** Byte offset to start at (default 0); negative counts from the end. */
  readonly offset?: number;
  /** At most this many bytes (default 1 MiB, at most 16 MiB); a slice may be shorter: continue from `nextOffset`. */
  readonly limit?: number;
}
/** `baton/getLog` result. */
export interface GetLogResult {
  readonly attempt: number;
  /** The text; the slice never splits a UTF-8 character. Masked values are already hidden. */
  readonly text: string;
  /** Byte offset where `text` starts. */
  readonly offset: number;
  /** Byte offset right after `text`: pass it as the next `offset`. */
  readonly nextOffset: number;
  /** The log's size in bytes now. */
  readonly size: number;
}

/** Sent from the client to the server to see who holds a pipeline's run lock. */
export const GetLockMethod = 'baton/getLock';
/** `baton/getLock` params. */
export interface GetLockParams {
  /** Pipeline id or file. */
  readonly pipeline: string;
}
/** `baton/getLock` result; `lock` is null when nobody holds it. */
export interface GetLockResult {
  readonly lock: LockInfo | null;
}

/**
 * Sent from the client to the server to break a pipeline's stale lock (its
 * owner is dead or its heartbeat too old). A live owner's lock is never taken:
 * that fails with LockHeld. Errors: PipelineNotFound, LockNotFound, LockHeld.
 */
export const BreakLockMethod = 'baton/breakLock';
/** `baton/breakLock` params. */
export interface BreakLockParams {
  readonly pipeline: string;
}
/** `baton/breakLock` result: the lock that was broken. */
export interface BreakLockResult {
  readonly broken: LockInfo;
}

/**
 * Sent from the client to the server to get a run's timeline: its stages and
 * their attempts with the phases of each (queued, retry backoff, waiting for a
 * pool slot, waiting for an answer, running), computed from the run's event
 * log (the server keeps what it computed and reads only the events added
 * since). A client showing it live asks again when the run changes
 * (`baton/didChangeRun`), at most a few times a second. Errors: RunNotFound.
 */
export const GetRunTimelineMethod = 'baton/getRunTimeline';
/** `baton/getRunTimeline` params. */
export interface GetRunTimelineParams {
  readonly runId: string;
}
/** `baton/getRunTimeline` result. */
export type GetRunTimelineResult = RunTimeline;

/**
 * Sent from the client to the server to compare a run with another run of the
 * same pipeline (by default the one before it): inputs, stage statuses and
 * durations with the difference, outputs, and which stages were up to date.
 * Errors: RunNotFound (either run), InvalidParams (runs of two pipelines).
 */
export const CompareRunsMethod = 'baton/compareRuns';
/** `baton/compareRuns` params. */
export interface CompareRunsParams {
  readonly runId: string;
  /** The run to compare with; default: the newest run of the same pipeline older than `runId`. */
  readonly baseRunId?: string;
}
/** `baton/compareRuns` result. */
export interface CompareRunsResult {
  readonly comparison: RunComparison;
}
