/**
 * The data shapes that travel on the wire: pipelines, runs, stages, prompts.
 * They mirror what a client needs to show, not the core's internal state, so
 * the core can change without breaking clients. Times are epoch milliseconds.
 */

/** Life cycle of a run. Final: `succeeded`, `failed`, `cancelled`. `interrupted` is resumable. */
export type RunStatus =
  | 'queued'
  | 'running'
  /** Running, with at least one open prompt that blocks progress. */
  | 'waiting'
  | 'succeeded'
  | 'failed'
  | 'cancelled'
  | 'interrupted';

/** Life cycle of a stage within a run. */
export type StageStatus =
  /** Dependencies not done yet. */
  | 'pending'
  /** Dependencies done; waiting for a concurrency slot. */
  | 'ready'
  /**
   * Queued for its pools' slots (`resources:`), across runs and processes, in
   * order of arrival; or holding them until a concurrency slot frees. The
   * stage's `reason` says which pool and who holds it. Holds no concurrency slot.
   */
  | 'waitingForPool'
  | 'running'
  /** Running, with an open prompt. */
  | 'waiting'
  /** The last attempt failed; waiting out the backoff before the next one. */
  | 'retrying'
  | 'succeeded'
  | 'failed'
  | 'skipped'
  | 'cancelled';

/** The kinds of question a prompt can ask. */
export type PromptType = 'choice' | 'multi' | 'text' | 'number' | 'confirm';

/** An answer: `text`/`choice` → string, `number` → number, `confirm` → boolean, `multi` → string[]. */
export type AnswerValue = string | number | boolean | string[];

/** A 1-based position range in a file. */
export interface WireRange {
  readonly line: number;
  readonly column: number;
  readonly endLine?: number;
  readonly endColumn?: number;
}

/** A problem found in a pipeline file (1-based positions). */
export interface WireDiagnostic extends WireRange {
  /** Absolute path of the file the problem is in. */
  readonly file: string;
  readonly severity: 'error' | 'warning';
  /** A stable machine-readable code, e.g. `unknown-key`, `cycle`. */
  readonly code: string;
  readonly message: string;
  /** The correction a "Did you mean" proposes: the first `find` in the range becomes `replaceWith`. */
  readonly fix?: { readonly find: string; readonly replaceWith: string; readonly title?: string };
}

/** An input a pipeline asks before it starts. */
export interface WireInput {
  readonly id: string;
  readonly prompt: string;
  readonly type: PromptType;
  readonly options?: readonly string[];
  /** Omitted for secret inputs. */
  readonly default?: AnswerValue;
  readonly secret?: boolean;
}

/** A stage as declared in a pipeline file. */
export interface WireStage {
  readonly id: string;
  readonly needs: readonly string[];
  /** Where the stage is declared, for "open at" links. */
  readonly line?: number;
  readonly column?: number;
  /** The stage fans out (`matrix:` or `foreach:`): a run draws it as one box or row with item counts. */
  readonly fanOut?: 'matrix' | 'foreach';
}

/** A pipeline's cron schedule. */
export interface WireSchedule {
  /** Five fields (minute hour day month weekday), six with seconds first, or a preset like `@daily`. */
  readonly cron: string;
  /** What a due run does while another run of the pipeline is active: `skip`, `queue` or `cancel-running`. */
  readonly overlap: string;
  readonly timezone?: string;
}

/** A pipeline file found in the workspace. Invalid files are listed too, with their diagnostics. */
export interface WirePipeline {
  /** The file name without its `.pipeline.yaml|yml|json` suffix. */
  readonly id: string;
  /** Absolute path of the pipeline file. */
  readonly file: string;
  readonly name: string;
  readonly description?: string;
  /** False when the file has at least one error diagnostic; such a pipeline cannot start. */
  readonly valid: boolean;
  /** Empty when the file could not be parsed at all. */
  readonly stages: readonly WireStage[];
  readonly inputs: readonly WireInput[];
  /**
   * The names the pipeline lists under `secrets:` (environment variables
   * whose values are masked); absent when none. Values never travel to a
   * client; a client may send them (`RunSecrets`).
   */
  readonly secrets?: readonly string[];
  /** When the pipeline runs by itself while a server runs; `timezone` absent means UTC. */
  readonly schedule?: WireSchedule;
  readonly diagnostics: readonly WireDiagnostic[];
}

/** Progress a stage reported. */
export interface WireProgress {
  /** 0..100 when known. */
  readonly percent?: number;
  readonly value?: number;
  readonly total?: number;
  readonly message?: string;
}

/** A `::warning`/`::error`/`::notice` annotation a stage printed. */
export interface WireAnnotation {
  readonly severity: 'error' | 'warning' | 'notice';
  readonly message: string;
  readonly title?: string;
  /** The file the annotation is about, as the stage printed it (relative to the stage's cwd) or absolute. */
  readonly file?: string;
  /** Absolute path of `file`, resolved by the server, when `file` is set. */
  readonly path?: string;
  readonly range?: WireRange;
}

/** An open question: a pipeline input or a prompt a running stage printed. */
export interface PromptInfo {
  readonly runId: string;
  readonly promptId: string;
  /** The stage that asked; absent for a pipeline input. */
  readonly stage?: string;
  readonly attempt?: number;
  readonly message: string;
  readonly type: PromptType;
  readonly options?: readonly string[];
  readonly default?: AnswerValue;
  readonly openedAt: number;
  /** When the prompt times out (then the default applies, or the run fails). */
  readonly deadline?: number;
  /** The answer is a secret: it is never echoed back in events or snapshots. */
  readonly secret?: boolean;
  /**
   * A `choice` that also takes any other text: the question was read from
   * what a library printed, and only the program knows what it accepts.
   */
  readonly allowOther?: boolean;
}

/** The state of one stage of a run. */
export interface StageSnapshot {
  readonly id: string;
  readonly status: StageStatus;
  /** The stages it needs as declared (a fanned-out stage's own needs, never its units). */
  readonly needs: readonly string[];
  /** The current or last attempt, 1-based; 0 before the first start. */
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly startedAt?: number;
  readonly endedAt?: number;
  /** When the pending retry is due (status `retrying`). */
  readonly retryAt?: number;
  /** Expected duration from past runs, when known. */
  readonly expectedMs?: number;
  readonly exitCode?: number;
  readonly signal?: string;
  readonly progress?: WireProgress;
  /** Why the stage failed, was skipped or cancelled, in plain words. */
  readonly reason?: string;
  /** Outputs the stage set through `$BATON_OUTPUT`. */
  readonly outputs: Readonly<Record<string, string>>;
  /** Why the stage runs, or why it was skipped as up to date ("deps changed: data/03.txt"). */
  readonly plan?: string;
  /** Set when the stage was up to date: the run whose recorded success it reused. */
  readonly upToDate?: string;
  /**
   * How many attempts one go of the stage may take (`retry.attempts`; 1: no
   * retries). A resume gives a stage a fresh go, so `attempt` can pass it.
   */
  readonly attemptsPerGo?: number;
  /** Where the current or last attempt runs when not locally, e.g. `queue gpu` (see docs/executors.md). */
  readonly where?: string;
  /** What holds the running remote attempt up, while something does (see `executorConditionText`). */
  readonly executorCondition?: ExecutorCondition;
  /** A fanned-out stage (`matrix:`/`foreach:`): its units counted by status. */
  readonly items?: WireItemCounts;
  /** A unit `<stage>[<item>]` of a fanned-out stage: that stage's id. */
  readonly unitOf?: string;
}

/**
 * Why a running remote attempt is held up, as its executor reports it: its
 * job waits on `queue` and no worker listens there, or the executor (Redis)
 * has been unreachable since `since` (epoch ms). Shown as
 * `executorConditionText` gives it; absent while nothing holds the attempt up.
 */
export type ExecutorCondition =
  | { readonly kind: 'noWorker'; readonly queue: string }
  | {
      readonly kind: 'unreachable';
      /** The executor, for people: `bullmq at redis://host:6379` (never a password). */
      readonly executor: string;
      readonly since: number;
    };

/** How many units of a fanned-out stage are in each status (absent statuses: none). */
export interface WireItemCounts {
  readonly total: number;
  readonly counts: Readonly<Partial<Record<StageStatus, number>>>;
}

/** Who holds a pipeline's run lock. */
export interface LockInfo {
  readonly pipeline: string;
  readonly runId?: string;
  readonly pid: number;
  readonly host: string;
  readonly startedAt: number;
  readonly heartbeatAt: number;
  /** Whether the owner process is alive; `unknown` when it runs on another host. */
  readonly ownerAlive: boolean | 'unknown';
  /** True when the owner is dead or its heartbeat is too old: breaking the lock is safe. */
  readonly stale: boolean;
}

/** A run in a list: enough to draw a row. */
export interface RunSummary {
  readonly runId: string;
  /** The pipeline id. */
  readonly pipeline: string;
  readonly pipelineName: string;
  /** Absolute path of the pipeline file. */
  readonly file: string;
  /**
   * The run's number among its pipeline's runs (1, 2, …), assigned by the
   * server when the run is created and stored with it; absent for runs made
   * before numbers existed. A run's label is `‹pipelineName› #‹number›`.
   */
  readonly number?: number;
  /** The inputs whose value differs from the pipeline's default (secret inputs left out), for the label. */
  readonly changedInputs?: Readonly<Record<string, AnswerValue>>;
  readonly status: RunStatus;
  readonly createdAt: number;
  /** When the run first started. */
  readonly startedAt?: number;
  /** When the run last stopped (absent while it runs). */
  readonly endedAt?: number;
  /** When the run was last resumed; absent when it never was. */
  readonly resumedAt?: number;
  /** How often the run was resumed (absent: never). */
  readonly resumes?: number;
  /** How long the run ran before its last resume (its earlier goes added up), in ms. */
  readonly earlierRanMs?: number;
  /**
   * How long the run ran, in ms: its goes added up, the time it sat failed or
   * interrupted before a resume left out. Only once it stopped; while it runs
   * a client counts on from `resumedAt ?? startedAt`.
   */
  readonly ranMs?: number;
  readonly reason?: string;
  /** How many stages are in each status (statuses with no stage are omitted). */
  readonly stageCounts: Readonly<Partial<Record<StageStatus, number>>>;
  readonly openPrompts: number;
  /** True when this server process runs or ran the run (started or resumed it); false when another process (CLI, another window) did. */
  readonly local: boolean;
}

/** Everything about one run, as `baton/getRun` returns it. */
export interface RunSnapshot extends RunSummary {
  /** The global sequence number of the last event applied to this snapshot. */
  readonly seq: number;
  readonly interactive: boolean;
  readonly concurrency: number;
  /** Inputs the run started with; secret values are replaced by `"••••••"`. */
  readonly inputs: Readonly<Record<string, AnswerValue>>;
  /**
   * Stages in declaration order. Of a fanned-out stage's units only the
   * failed and running ones are here (see `baton/getRun`), unless the request
   * asked for `allUnits`.
   */
  readonly stages: readonly StageSnapshot[];
  /**
   * True when units of fanned-out stages were left out of `stages`: their
   * counts are on their stage (`items`), `baton/listItems` pages them, and
   * `stageCounts` still counts them all.
   */
  readonly partialUnits?: boolean;
  readonly prompts: readonly PromptInfo[];
  /** The latest events of this run, oldest first. */
  readonly recentEvents: readonly BatonEvent[];
  /** Markdown stages wrote to `$BATON_SUMMARY`, concatenated in stage order. */
  readonly summary?: string;
}

/** What resuming a run will do with one stage. */
export interface ResumeStep {
  readonly stage: string;
  /**
   * `skip`: already succeeded; `rerun`: ran before and runs again; `run`: never
   * ran, runs now; `attach`: its attempt still runs on a remote executor and is
   * followed again, not started again.
   */
  readonly action: 'skip' | 'rerun' | 'run' | 'attach';
  readonly reason: string;
}

/** The plan a resume follows, one step per stage in declaration order. */
export interface ResumePlan {
  readonly steps: readonly ResumeStep[];
}

/** What a run would do with one stage, and why (`baton/planRun`). */
export interface RunPlanStep {
  readonly stage: string;
  /** `run`; `skip` (up to date); `unselected` (outside the selection). */
  readonly action: 'run' | 'skip' | 'unselected';
  readonly reason: string;
}

/** The plan of a run that has not started, one step per stage in declaration order. */
export interface RunPlan {
  readonly steps: readonly RunPlanStep[];
  /** Damaged record entries met; each counts as a miss. */
  readonly warnings: readonly string[];
}

/** What the watchdog found about a stage that went quiet. */
export interface StageDiagnosis {
  /** The last lines the stage printed, oldest first. */
  readonly lastLines: readonly string[];
  readonly processes: readonly {
    readonly pid: number;
    readonly ppid: number;
    readonly command: string;
    readonly cpuPercent?: number;
    /** CPU time the process used so far (user + system), in seconds. */
    readonly cpuSeconds?: number;
    /** Resident memory, in KiB. */
    readonly rssKb?: number;
    /** The kernel's one-letter state (`R` running, `S` sleeping, `D` waiting on I/O, `T` stopped, …). */
    readonly state?: string;
  }[];
  readonly openPrompt?: PromptInfo;
  readonly idleMs: number;
}

/** Fields every event carries. */
interface EventBase {
  /** Global sequence number, strictly increasing across all runs this server knows. */
  readonly seq: number;
  readonly runId: string;
  /** Epoch ms when it happened: the time of the run event it comes from (`at` in the run's event log). */
  readonly time: number;
}

/** Something that happened to a run, as the server's event feed (`baton/getEvents`) reports it. */
export type BatonEvent = EventBase &
  (
    | {
        readonly kind: 'runCreated';
        readonly pipeline: string;
        readonly file: string;
        readonly pipelineName: string;
        /** As `RunSummary.number`. */
        readonly number?: number;
        /** As `RunSummary.changedInputs`. */
        readonly changedInputs?: Readonly<Record<string, AnswerValue>>;
        /** As `RunSummary.local`: this server runs the run. */
        readonly local: boolean;
      }
    | { readonly kind: 'runStatusChanged'; readonly status: RunStatus; readonly reason?: string }
    | {
        readonly kind: 'runResumed';
        readonly plan: ResumePlan;
        /** As `RunSummary.local`: this server resumed the run (rather than another process). */
        readonly local: boolean;
      }
    | {
        readonly kind: 'stageStatusChanged';
        readonly stage: string;
        readonly attempt: number;
        readonly status: StageStatus;
        readonly reason?: string;
        readonly exitCode?: number;
        readonly signal?: string;
        /** The stage's attempt budget after the change (it grows on resume). */
        readonly maxAttempts: number;
        /** When the pending retry is due (status `retrying`). */
        readonly retryAt?: number;
        /** Outputs the attempt set through `$BATON_OUTPUT` (status `succeeded`). */
        readonly outputs?: Readonly<Record<string, string>>;
        /** Why the stage runs, or why it was skipped as up to date (see `StageSnapshot.plan`). */
        readonly plan?: string;
        /** Set when the stage was up to date: the run whose recorded success it reused. */
        readonly upToDate?: string;
        /** As `StageSnapshot.where` after the change (absent: runs locally, or cleared). */
        readonly where?: string;
        /** As `StageSnapshot.unitOf`: set on every event of a unit `<stage>[<item>]`, so a client groups units it first hears of here. */
        readonly unitOf?: string;
        /** As `StageSnapshot.items` after the change (a fanned-out stage only). */
        readonly items?: WireItemCounts;
        /** As `StageSnapshot.executorCondition` after the change (absent: nothing holds it up). */
        readonly executorCondition?: ExecutorCondition;
      }
    | {
        /**
         * Where the attempt runs, or what holds it up, changed while its status
         * did not: handed to a queue (`queue gpu`), waiting there with no worker,
         * taken by a worker (`worker gpu-1 on host a100`), its executor
         * unreachable and back.
         */
        readonly kind: 'stageWhere';
        readonly stage: string;
        readonly attempt: number;
        /** As `StageSnapshot.where`, e.g. `worker gpu-1 on host a100`. */
        readonly where: string;
        /** As `StageSnapshot.executorCondition` after the change (absent: nothing holds it up). */
        readonly executorCondition?: ExecutorCondition;
      }
    | {
        readonly kind: 'stageProgress';
        readonly stage: string;
        readonly attempt: number;
        readonly progress: WireProgress;
      }
    | {
        /** The unit counts of a fanned-out stage changed (its own status did not). */
        readonly kind: 'stageItems';
        readonly stage: string;
        readonly attempt: number;
        readonly items: WireItemCounts;
      }
    | { readonly kind: 'promptOpened'; readonly prompt: PromptInfo }
    | {
        readonly kind: 'promptClosed';
        readonly promptId: string;
        /** Absent for secret prompts and prompts closed without an answer. */
        readonly answer?: AnswerValue;
        readonly by: string;
      }
    | {
        readonly kind: 'annotation';
        readonly stage: string;
        readonly attempt: number;
        readonly annotation: WireAnnotation;
      }
    | {
        readonly kind: 'stageDiagnosed';
        readonly stage: string;
        readonly attempt: number;
        readonly diagnosis: StageDiagnosis;
      }
  );

/** The `kind` tags of `BatonEvent`. */
export type BatonEventKind = BatonEvent['kind'];
