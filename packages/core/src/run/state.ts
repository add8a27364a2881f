import type { AnswerValue, Pipeline, PromptType } from '../pipeline/model';

/**
 * Life cycle of a run (see docs/state-machines.md). Final: succeeded, failed,
 * cancelled. `interrupted`, `failed` and `cancelled` can be resumed.
 * A run is `waiting` exactly when at least one prompt (input or stage prompt)
 * is open, whether or not other stages are still running.
 */
export type RunStatus =
  'queued' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

/** Life cycle of a stage within a run (see docs/state-machines.md). */
export type StageStatus =
  | 'pending' // dependencies (or pipeline inputs) not yet done
  | 'ready' // dependencies done, waiting for a concurrency slot
  | 'waitingForPool' // ready, queued for its `resources:` (or holding them until a slot frees); holds no slot
  | 'running' // the core asked the shell to spawn this attempt; it holds a slot
  | 'waiting' // running, with at least one open prompt
  | 'retrying' // the last attempt failed; waiting out the backoff
  | 'succeeded'
  | 'failed'
  | 'skipped'
  | 'cancelled';

/**
 * What the executor that runs an attempt needs to find it again, opaque to the
 * core. `detached` says the attempt lives on without the process that started
 * it (a job on a remote worker): a resume then re-attaches to it instead of
 * running it again. The local executor's attempts die with their engine.
 */
export interface StageHandle {
  /** The executor that runs the attempt: `local`, `bullmq`, …. */
  readonly executor: string;
  /** The executor's own id of the attempt (a pid, a job id). */
  readonly id: string;
  /** Where it runs, for people: `queue gpu`, a worker's name and host. */
  readonly where?: string;
  readonly detached?: boolean;
}

/**
 * Why a remote attempt is held up, as its executor reports it: its job waits
 * on a queue no worker listens to, or the executor (Redis) cannot be reached
 * since `since` (epoch ms). Cleared once it passes; never set for a local attempt.
 */
export type ExecutorCondition =
  | { readonly kind: 'noWorker'; readonly queue: string }
  | { readonly kind: 'unreachable'; readonly executor: string; readonly since: number };

/** Why the core asked the shell to kill a running attempt. */
export type KillReason = 'cancel' | 'timeout' | 'idle' | 'unanswered';

/** Progress a stage reported. */
export interface Progress {
  /** 0..100 when known. */
  readonly percent?: number;
  readonly value?: number;
  readonly total?: number;
  readonly message?: string;
}

/** State of one stage. Times are epoch milliseconds supplied by the caller's clock. */
export interface StageState {
  readonly id: string;
  readonly status: StageStatus;
  /** The current or last attempt, 1-based; 0 before the first start. Never reset, so log files never collide. */
  readonly attempt: number;
  /** The attempt number after which no retry is made; grows by the retry budget on resume. */
  readonly maxAttempts: number;
  readonly startedAt?: number;
  readonly endedAt?: number;
  /** When the pending retry is due (status `retrying`). */
  readonly retryAt?: number;
  readonly exitCode?: number;
  readonly signal?: string;
  readonly pid?: number;
  /** The executor's handle of the current or last attempt (see `StageHandle`). */
  readonly handle?: StageHandle;
  readonly progress?: Progress;
  /** Last output, progress or prompt activity the core saw from the running attempt. */
  readonly lastActivityAt?: number;
  /** Outputs set through `$BATON_OUTPUT` by the last attempt. */
  readonly outputs: Readonly<Record<string, string>>;
  /** What the last attempt handed to the stages that need it (`$GITHUB_ENV`, `$GITHUB_PATH`). */
  readonly exported?: StageExports;
  /** Why the stage failed, was skipped, cancelled or is being killed, in plain words. */
  readonly reason?: string;
  /** Set when the shell was asked to kill the running attempt, and why. */
  readonly killRequested?: KillReason;
  /** The latest hang diagnosis of the running attempt (see `stageDiagnosed`). */
  readonly lastDiagnosis?: StageDiagnosis;
  /** What holds the running remote attempt up, while something does (see `stageExecutorCondition`). */
  readonly executorCondition?: ExecutorCondition;
  /** Set while the shell computes the stage's fingerprint (a `checkStage` effect is out). */
  readonly checking?: boolean;
  /** The stage's fingerprint in this run, once checked; a success is recorded under it. */
  readonly fingerprint?: string;
  /** Why the stage runs, or why it was skipped as up to date, in plain words (see `stageChecked`). */
  readonly plan?: string;
  /** The run whose recorded success this stage reused instead of running (it was up to date). */
  readonly upToDate?: string;
  /**
   * A digest of what the stage handed on: its outputs, exports and declared
   * output files. Dependants' fingerprints include it, so an upstream stage
   * that ran again with the same results does not make them run (early cut-off).
   */
  readonly digest?: string;
  /**
   * The stage's pool slots (`resources:`): `waiting` while the shell queues
   * for them (`acquireSlots` is out), `held` from `slotsAcquired` until the
   * stage stops running (then `releaseSlots` gives them back).
   */
  readonly slots?: 'waiting' | 'held';
  /** Set while the shell lists the files of a `foreach:` glob (a `listItems` effect is out). */
  readonly listing?: boolean;
  /** A fanned-out stage's units, counted by status (see `fanOut.ts`). */
  readonly items?: ItemCounts;
}

/** How many units of a fanned-out stage are in each status. */
export interface ItemCounts {
  readonly total: number;
  readonly counts: Readonly<Record<StageStatus, number>>;
}

/**
 * What a stage hands to the stages that need it, besides outputs: variables
 * (written to `$GITHUB_ENV`) and directories to put first on `PATH` (written
 * to `$GITHUB_PATH`).
 */
export interface StageExports {
  readonly env: Readonly<Record<string, string>>;
  /** In `PATH` order: the first is searched first (the last line the stage wrote, as on GitHub). */
  readonly path: readonly string[];
}

/** One process of a stage's tree, as a hang diagnosis saw it. */
export interface DiagnosedProcess {
  readonly pid: number;
  readonly ppid: number;
  /** The kernel's one-letter state (`R` running, `S` sleeping, `D` waiting on I/O, `T` stopped, …). */
  readonly state: string;
  readonly command: string;
  /** CPU time used so far (user + system), in seconds. */
  readonly cpuSeconds: number;
  readonly rssKb: number;
}

/** What a stage that went quiet was doing when the shell looked (after an idle timeout). */
export interface StageDiagnosis {
  /** How long the stage had been quiet. */
  readonly idleMs: number;
  /** Its last lines of output, oldest first, masked. */
  readonly lastLines: readonly string[];
  readonly processes: readonly DiagnosedProcess[];
  /** The id of the stage's open prompt, if it was asking something. */
  readonly openPrompt?: string;
}

/** Fields every open prompt has. */
interface PromptCommon {
  /** The prompt's key in `RunState.prompts`, and what `promptAnswered.promptId` names. */
  readonly id: string;
  readonly message: string;
  readonly type: PromptType;
  readonly options?: readonly string[];
  readonly default?: AnswerValue;
  readonly openedAt: number;
  /** Epoch ms when the prompt times out, if it does. */
  readonly deadline?: number;
  /** The answer is secret: show a password box, mask it everywhere. */
  readonly secret?: boolean;
  /** A confirm's answer as the stage's stdin takes it: the words for yes and no (else `true`/`false`). */
  readonly confirmWords?: readonly [string, string];
  /** A choice that also takes any other text: the raw question is shown, the program judges. */
  readonly allowOther?: boolean;
}

/** A pipeline input asked before stages start; its key is `inputs.<input>`. */
export interface InputPromptState extends PromptCommon {
  readonly kind: 'input';
  readonly input: string;
}

/** A question a running stage printed; its key is `<stage>/<name>`. */
export interface StagePromptState extends PromptCommon {
  readonly kind: 'stage';
  readonly stage: string;
  /** The stage attempt that asked. */
  readonly attempt: number;
  /** The prompt's id within the stage (`promptOpened.promptId`). */
  readonly name: string;
}

/** An open question, either a pipeline input or a prompt a running stage printed. */
export type PromptState = InputPromptState | StagePromptState;

/** An answer someone gave to a stage prompt, reused when a later attempt asks again. */
export interface RecordedAnswer {
  readonly value: AnswerValue;
  /** The attempt that was answered; the same attempt asking again is asked again. */
  readonly attempt: number;
  readonly by: string;
  readonly at: number;
}

/** The whole state of a run: what `run.json` holds and what the event log replays to. */
export interface RunState {
  readonly runId: string;
  readonly pipeline: Pipeline;
  readonly status: RunStatus;
  /** Sequence number of the last event applied; 0 for a fresh run. */
  readonly seq: number;
  /** The run's number among its pipeline's runs (1, 2, …), given by the shell; absent on older runs. */
  readonly number?: number;
  readonly createdAt: number;
  /** When the run first started. */
  readonly startedAt?: number;
  /** When the run last stopped; cleared by a resume. */
  readonly endedAt?: number;
  /** When the run was last resumed. */
  readonly resumedAt?: number;
  /** How often the run was resumed. */
  readonly resumes?: number;
  /** How long the run ran before its last resume (its earlier goes added up), in ms. */
  readonly earlierRanMs?: number;
  /** Whether someone can answer prompts; when false, prompts take defaults or fail. */
  readonly interactive: boolean;
  /** Effective max number of stages running at once (at least 1). */
  readonly concurrency: number;
  /** Values of pipeline inputs given so far (typed, validated). */
  readonly inputs: Readonly<Record<string, AnswerValue>>;
  /** Recorded answers of stage prompts, keyed by `stage/promptId`; reused on retry and resume. */
  readonly answers: Readonly<Record<string, RecordedAnswer>>;
  /**
   * Stage states keyed by stage id; `pipeline.stages` gives the declaration order.
   * In a state a transition made, a read-only view shared in part with the
   * state before (see `stageTable.ts`): read it as a plain object.
   */
  readonly stages: Readonly<Record<string, StageState>>;
  /** Open prompts keyed by `PromptState.id`. */
  readonly prompts: Readonly<Record<string, PromptState>>;
  /** Set once a stop was requested; running stages are being killed. */
  readonly cancelRequested?: boolean;
  /** Why the run failed, was cancelled or interrupted, in plain words. */
  readonly reason?: string;
  /** Stages whose record is ignored in this run (`--force`, `--from`): they run even when up to date. */
  readonly forced?: 'all' | readonly string[];
  /**
   * Units named as run targets (`baton run <file> papers[a.pdf]`): when a
   * stage fans out, only its units listed here run; its other items are
   * skipped as not selected. Absent when no unit was named.
   */
  readonly selectedUnits?: readonly string[];
}
