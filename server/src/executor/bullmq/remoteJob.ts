/**
 * What travels between the orchestrator and a `baton worker` for one stage
 * attempt, and where in Redis: one BullMQ job (its data and return value),
 * one output stream the worker appends to (`out`), and one control stream the
 * orchestrator appends to (`ctl`: stdin answers, kills). Both sides import
 * these names, so they cannot drift apart.
 */
import type { StageHandle } from '@baton/core';

/** The prefix of every key Baton's BullMQ queues and streams use in Redis. */
export const KEY_PREFIX = 'baton';

/**
 * The variable a worker sets in every stage it runs (to its name): marks the
 * stage's processes as a worker's, so an engine's leftover reaping on the same
 * machine leaves them alone. Stages may read it to know where they run.
 */
export const WORKER_VARIABLE = 'BATON_WORKER';

/** The BullMQ job name of a stage attempt. */
export const JOB_NAME = 'stage';

/** Which of the attempt's files an environment variable names, so the worker points it at its own copy. */
export type FileRole = 'output' | 'env' | 'path' | 'summary' | 'savedState' | 'stateDir' | 'runDir';

/** The files of an attempt whose contents travel (as text), in both directions. */
export interface TravellingFiles {
  /** `$BATON_SUMMARY`: appended to across attempts. */
  readonly summary: string;
  /** `$GITHUB_STATE`: the stage's saved values, read by its next attempt. */
  readonly savedState: string;
  /** The files of `$BATON_STATE` by relative name (flat, text), so a retry on another worker continues. */
  readonly stateDir: Readonly<Record<string, string>>;
}

/** A job's data: everything the worker needs to run the attempt, and no secret value. */
export interface RemoteJobData {
  readonly runId: string;
  readonly stage: string;
  readonly attempt: number;
  readonly command: string;
  readonly cwd: string;
  /**
   * The root `cwd` lies under on the orchestrator (its repository, see
   * `stageRootOf`): a worker with `--root` runs the stage at the same place
   * under its own root. Absent from jobs of older orchestrators.
   */
  readonly root?: string;
  /**
   * The stage's environment without the secret variables (see `secretNames`)
   * and without the orchestrator's own variables (see `travellingEnv`): the
   * worker's own environment is the base.
   */
  readonly env: Readonly<Record<string, string>>;
  /** Directories for the front of the worker's `PATH` (a venv's `bin`, `$GITHUB_PATH`). */
  readonly pathPrefix?: readonly string[];
  /** Variables the worker fills in from its own environment and masks everywhere. */
  readonly secretNames: readonly string[];
  /** Variables that name one of the attempt's files (see `FileRole`). */
  readonly fileVars: Readonly<Record<string, FileRole>>;
  readonly files: TravellingFiles;
  /** Time between SIGTERM and SIGKILL when the stage is killed. */
  readonly killGraceMs: number;
  /** The stage's `watch:` globs, tailed on the worker (relative to `cwd`); absent: none. */
  readonly watch?: readonly string[];
}

/** What the worker reports at the end of an attempt (the last entry of its output stream). */
export interface RemoteResult {
  readonly exitCode?: number;
  readonly signal?: string;
  readonly error?: string;
  /** `$BATON_OUTPUT`, `$GITHUB_ENV`, `$GITHUB_PATH` as the stage left them. */
  readonly output: string;
  readonly env: string;
  readonly path: string;
  readonly files: TravellingFiles;
}

/** Who runs an attempt: the worker's name, host and the stage shell's pid there. */
export interface WorkerClaim {
  readonly worker: string;
  readonly host: string;
  readonly pid: number;
}

/** The job id of an attempt: the same for every add, so adding again is a no-op. */
export function jobIdOf(runId: string, stage: string, attempt: number): string {
  return `${runId}.${stage}.${attempt}`;
}

/** The output stream of a job: `start`, `out`/`err` chunks and one `end` entry, in order. */
export function outputStreamKey(queue: string, jobId: string): string {
  return `${KEY_PREFIX}:${queue}:out:${jobId}`;
}

/** The control stream of a job: `stdin` and `kill` entries from the orchestrator. */
export function controlStreamKey(queue: string, jobId: string): string {
  return `${KEY_PREFIX}:${queue}:ctl:${jobId}`;
}

/**
 * The marker a worker sets (to its name, with no expiry) when it takes a job,
 * before anything of the stage runs, and only if it is not set yet: an
 * attempt whose job and streams are gone was taken, and so ran (or began to),
 * exactly when its marker is there. The orchestrator deletes it once the
 * attempt's end is in the run's event log (no resume re-attaches to it then).
 */
export function takenMarkerKey(queue: string, jobId: string): string {
  return `${KEY_PREFIX}:${queue}:taken:${jobId}`;
}

/** The handle `stageStarted` records for a bullmq attempt: `<queue>/<job id>`, detached. */
export function remoteHandle(queue: string, jobId: string): StageHandle {
  return { executor: 'bullmq', id: `${queue}/${jobId}`, where: `queue ${queue}`, detached: true };
}

/** The queue and job id a handle names, or undefined when it is no bullmq handle. */
export function parseRemoteHandle(
  handle: StageHandle,
): { readonly queue: string; readonly jobId: string } | undefined {
  if (handle.executor !== 'bullmq') return undefined;
  const slash = handle.id.indexOf('/');
  if (slash <= 0) return undefined;
  return { queue: handle.id.slice(0, slash), jobId: handle.id.slice(slash + 1) };
}

/** How long output and control streams are kept after an attempt ends, for a late re-attach. */
export const STREAM_TTL_SECONDS = 7 * 24 * 3600;
