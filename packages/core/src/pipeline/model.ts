/**
 * The validated, normalised pipeline model. Parsing (`parsePipeline`) turns a
 * `*.pipeline.yaml|yml|json` file into this shape; every default is filled in
 * and every duration is in milliseconds, so the rest of the core never looks
 * at raw file text again.
 */

/** The kinds of question a prompt (pipeline input or stage prompt) can ask. */
export type PromptType = 'choice' | 'multi' | 'text' | 'number' | 'confirm';

/** A value that answers a prompt: text/choice → string, number → number, confirm → boolean, multi → string[]. */
export type AnswerValue = string | number | boolean | string[];

/** What happens when a scheduled run is due while another run of the pipeline is active. */
export type OverlapPolicy = 'skip' | 'queue' | 'cancel-running';

/** A position in a pipeline file, 1-based. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** A problem found in a pipeline file. */
export interface Diagnostic {
  /** The file the problem is in (as given to the parser). */
  readonly file: string;
  /** 1-based line and column of the start of the offending text. */
  readonly line: number;
  readonly column: number;
  /** 1-based end position, when known. */
  readonly endLine?: number;
  readonly endColumn?: number;
  readonly severity: 'error' | 'warning';
  /** A stable machine-readable code, e.g. `unknown-key`, `cycle`, `bad-duration`. */
  readonly code: string;
  /** A plain-words message saying what is wrong and, where possible, how to fix it. */
  readonly message: string;
  /** The edit a "Did you mean …" message proposes, for editors' quick fixes. */
  readonly fix?: DiagnosticFix;
}

/**
 * A correction inside a diagnostic's range: the first `find` in the
 * text the range covers becomes `replaceWith` (a misspelt key, stage id,
 * input id or enum value).
 */
export interface DiagnosticFix {
  readonly find: string;
  readonly replaceWith: string;
  /** What the fix does, when it is more than a word corrected (shown as the quick fix's title). */
  readonly title?: string;
}

/** An input asked before a run starts (or given on the command line). */
export interface InputSpec {
  readonly id: string;
  readonly prompt: string;
  readonly type: PromptType;
  /** Choices for `choice` and `multi`. */
  readonly options?: readonly string[];
  readonly default?: AnswerValue;
  /** Unanswered for this long → default, or the run fails when there is no default. */
  readonly timeoutMs?: number;
  /** A secret input: its value is masked in every log, event and snapshot. */
  readonly secret?: boolean;
  /** Where the input is declared, for diagnostics and "open at" links. */
  readonly position?: SourcePosition;
}

/** Retry policy of a stage; `attempts` counts every attempt including the first. */
export interface RetryPolicy {
  readonly attempts: number;
  readonly backoffMs: number;
  readonly factor: number;
  readonly maxBackoffMs: number;
  /** 0..1: the delay is multiplied by a random factor in [1 - jitter, 1 + jitter], then capped at `maxBackoffMs`. */
  readonly jitter: number;
  /** When set, only these exit codes are retried. */
  readonly onExitCodes?: readonly number[];
}

/**
 * Where a stage's process runs: `local` (a child of the engine, the default)
 * or a BullMQ queue on Redis that `baton worker` processes take stages from.
 */
export type ExecutorSpec =
  { readonly type: 'local' } | { readonly type: 'bullmq'; readonly queue: string };

/** One stage: an ordinary program run through the shell. */
export interface StageSpec {
  readonly id: string;
  /** The shell command, before `${{ … }}` substitution. */
  readonly run: string;
  /** Working directory relative to the pipeline file's directory. */
  readonly cwd?: string;
  readonly env: Readonly<Record<string, string>>;
  readonly needs: readonly string[];
  readonly timeoutMs?: number;
  readonly idleTimeoutMs?: number;
  readonly retry: RetryPolicy;
  /** Globs that must match at least one file after exit 0, else the stage fails. */
  readonly outputs: readonly string[];
  /** Globs of files the program writes, tailed live. */
  readonly watch: readonly string[];
  /**
   * Globs of the files the stage reads, relative to its working directory:
   * their content is part of its fingerprint (see docs/pipeline-format.md).
   */
  readonly deps: readonly string[];
  /**
   * Whether an up-to-date stage (one with `deps:` or `outputs:` whose
   * fingerprint and output files match a recorded success) may be skipped;
   * `cache: false` always runs it.
   */
  readonly cache: boolean;
  readonly continueOnError: boolean;
  /**
   * The stage's `if:` condition as written (see `conditionSyntax.ts`): false
   * skips the stage, with the reason. Without a status function in it, the
   * stage runs only when its needs succeeded (`success()` is implied).
   */
  readonly if?: string;
  /** `matrix:`: the stage runs once per combination of these values (see `fanOut.ts`). */
  readonly matrix?: MatrixSpec;
  /**
   * `foreach:`: a glob of files relative to the stage's working directory, or
   * `${{ stages.<s>.outputs.<name> }}` holding a JSON list; one unit per item.
   */
  readonly foreach?: string;
  /** At most this many of the stage's units run at once (`max_parallel:`). */
  readonly maxParallel?: number;
  /** `fail_fast:` (default true): a failed unit stops the units that have not started. */
  readonly failFast?: boolean;
  /** `resources:`: slots of the pipeline's pools each attempt holds while it runs. */
  readonly resources?: Readonly<Record<string, number>>;
  /** Set on a unit of a fanned-out stage: which stage it belongs to and which item it is. */
  readonly unit?: UnitSpec;
  /** Set on a fanned-out stage once its units exist: its needs are then exactly its units. */
  readonly gather?: GatherSpec;
  /**
   * Folder of the Python virtual environment the stage runs in, relative to
   * the pipeline file's folder (its own `venv:`, else the pipeline's).
   */
  readonly venv?: string;
  /** Where it runs when not locally (its own `executor:`, else the pipeline's); absent: local. */
  readonly executor?: ExecutorSpec;
  /** Where the stage is declared, for diagnostics and "open at" links. */
  readonly position?: SourcePosition;
}

/** A stage's `matrix:`: value lists per key, and combinations added or removed. */
export interface MatrixSpec {
  readonly axes: Readonly<Record<string, readonly string[]>>;
  readonly include: readonly Readonly<Record<string, string>>[];
  readonly exclude: readonly Readonly<Record<string, string>>[];
}

/** One unit of a fanned-out stage (its id is `<stage>[<item>]`). */
export interface UnitSpec {
  /** The fanned-out stage. */
  readonly stage: string;
  /** The item as `${{ item }}` and `BATON_ITEM` give it (for a matrix, its values as JSON). */
  readonly item: string;
  /** 0-based position among the stage's units (`BATON_ITEM_INDEX`). */
  readonly index: number;
  /** A matrix combination's values (`${{ matrix.<key> }}`, `BATON_MATRIX_<KEY>`). */
  readonly matrix?: Readonly<Record<string, string>>;
}

/** What a fanned-out stage became once its items were known. */
export interface GatherSpec {
  /** How many units it has (also the length of its needs). */
  readonly units: number;
}

/** A cron schedule. */
export interface ScheduleSpec {
  readonly cron: string;
  readonly overlap: OverlapPolicy;
  /** IANA time zone the cron fields are read in (e.g. `Europe/Berlin`); undefined → UTC. */
  readonly timezone?: string;
}

/** A validated pipeline. */
export interface Pipeline {
  /** The file name without its `.pipeline.yaml|yml|json` suffix. */
  readonly id: string;
  /** The file path as given to the parser. */
  readonly file: string;
  readonly name: string;
  readonly description?: string;
  /** Max stages running at once; undefined → the host's CPU count (the shell decides). */
  readonly concurrency?: number;
  /** Inputs in declaration order. */
  readonly inputs: readonly InputSpec[];
  readonly schedule?: ScheduleSpec;
  /** Environment for every stage. */
  readonly env: Readonly<Record<string, string>>;
  /** The virtual environment of every stage that names none (`venv:` at the top level). */
  readonly venv?: string;
  /** The executor of every stage that names none (`executor:` at the top level); absent: local. */
  readonly executor?: ExecutorSpec;
  /** Names of environment variables whose values are secret (masked everywhere). */
  readonly secretEnv: readonly string[];
  /**
   * The dotenv file (`env_file:`), relative to the pipeline file's folder,
   * whose variables stages get as if they were in Baton's environment
   * (`secrets:` names can point into it). Undefined: `.env` beside the
   * pipeline, when there is one.
   */
  readonly envFile?: string;
  /**
   * `pools:`: named capacities shared by every run in the workspace that
   * names the same pool, across pipelines and processes.
   */
  readonly pools?: Readonly<Record<string, number>>;
  /** Stages in declaration order (the stable order scheduling uses to break ties). */
  readonly stages: readonly StageSpec[];
}
