/**
 * A pipeline file as the wire shows it: its stages, inputs, schedule and
 * diagnostics, and who holds its run lock. Positions are 1-based.
 */
import type { AnswerValue, PromptType } from './promptInfo';

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
