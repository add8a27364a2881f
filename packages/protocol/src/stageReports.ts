/**
 * What a running stage reports besides its status: progress, annotations it
 * printed, and what the watchdog found when it went quiet.
 */
import type { PromptInfo } from './promptInfo';
import type { WireRange } from './wirePipeline';

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
