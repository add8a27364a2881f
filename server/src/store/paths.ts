/**
 * Layout of a state directory (default `<workspace>/.baton`):
 *
 * ```
 * runs/<runId>/run.json                      checkpoint (RunState), rewritten atomically
 * runs/<runId>/history.json                 the run's history entry (name, status, times), derived from run.json
 * runs/<runId>/events.jsonl                  append-only event log (LoggedEvent per line)
 * runs/<runId>/owner.json                    owner of the run (pid, host, start, heartbeat)
 * runs/<runId>/run.log                       Baton's notes about the run itself (who answered an input)
 * runs/<runId>/logs/<stage>.<attempt>.log    raw output of one stage attempt
 * runs/<runId>/state/<stage>/                $BATON_STATE, kept across retries and resume
 * runs/<runId>/outputs/<stage>.<attempt>.env $BATON_OUTPUT of one attempt
 * runs/<runId>/summary/<stage>.md            $BATON_SUMMARY
 * runs/<runId>/inbox/                        requests from other processes (answers, stop)
 * locks/<pipelineId>.lock                    one-run-at-a-time lock of a pipeline
 * numbers/<pipelineId>                       the number of the pipeline's latest run (1, 2, …)
 * pools/<pool>/slot-<i>.lock                 one slot of a resource pool (`pools:`)
 * pools/.queue/<seq>-<token>.ticket          a stage queued for pool slots, served in `seq` order
 * ```
 *
 * Every id is validated before it becomes part of a path, so nothing read from
 * RPC, the command line or a file can point outside the state directory.
 */
import * as path from 'node:path';
import { HISTORY_FILE_NAME } from './historyFile';
import { RUN_ID_PATTERN } from './runId';
import { StoreError } from './storeError';

// Where the state directory is has a module of its own, which the CLI's
// smallest entry (a kept dry-run plan) can load without the rest of the store.
export { DEFAULT_STATE_DIR_NAME, resolveStateDir, STATE_DIR_ENV } from './stateDirectory';

/** A stage log's name in `logs/`: `<stage>.<attempt>.log`. */
const STAGE_LOG_NAME = /^(.+)\.(\d+)\.log$/;

/** Longest stage or pipeline id accepted in a path (file systems allow 255 bytes a name). */
const MAX_SEGMENT_LENGTH = 128;

function badId(kind: string, value: unknown, why: string): StoreError {
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return new StoreError('EBADID', '', `invalid ${kind} ${shown}: ${why}`);
}

/** Throws unless `runId` matches `RUN_ID_PATTERN` (`YYYYMMDD-HHMMSS-mmm-xxxx`). */
export function assertRunId(runId: unknown): asserts runId is string {
  if (typeof runId !== 'string' || !RUN_ID_PATTERN.test(runId)) {
    throw badId('run id', runId, 'expected the form YYYYMMDD-HHMMSS-mmm-xxxx');
  }
}

/**
 * Why `value` cannot be one path segment, or undefined when it can: it must be
 * 1-128 characters, not start with a dot, and contain no slash, backslash,
 * colon or control character. That rules out `.`, `..`, hidden files and any
 * way of reaching another directory.
 */
export function segmentProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) {
    return 'it must be a non-empty string';
  }
  if (value.length > MAX_SEGMENT_LENGTH) {
    return `it is longer than ${MAX_SEGMENT_LENGTH} characters`;
  }
  if (value.startsWith('.')) {
    return 'it must not start with a dot';
  }
  // eslint-disable-next-line no-control-regex
  if (/[/\\:\u0000-\u001f\u007f]/.test(value)) {
    return 'it must not contain slashes, backslashes, colons or control characters';
  }
  return undefined;
}

/** Throws unless `stage` is a safe stage id (see `segmentProblem`). */
export function assertStageId(stage: unknown): asserts stage is string {
  const problem = segmentProblem(stage);
  if (problem !== undefined) {
    throw badId('stage id', stage, problem);
  }
}

/** Throws unless `pipelineId` is a safe pipeline id (see `segmentProblem`). */
export function assertPipelineId(pipelineId: unknown): asserts pipelineId is string {
  const problem = segmentProblem(pipelineId);
  if (problem !== undefined) {
    throw badId('pipeline id', pipelineId, problem);
  }
}

/** Throws unless `attempt` is a positive safe integer. */
export function assertAttempt(attempt: unknown): asserts attempt is number {
  if (typeof attempt !== 'number' || !Number.isSafeInteger(attempt) || attempt < 1) {
    throw badId('attempt', attempt, 'expected a positive integer');
  }
}

/** Builds every path of the layout above from validated ids. */
export class StatePaths {
  /** Absolute path of the state directory. */
  readonly root: string;

  constructor(stateDir: string) {
    this.root = path.resolve(stateDir);
  }

  /** `runs/`: one directory per run. */
  get runsDir(): string {
    return path.join(this.root, 'runs');
  }

  /** `locks/`: pipeline locks. */
  get locksDir(): string {
    return path.join(this.root, 'locks');
  }

  /** `pools/<pool>/slot-<index>.lock`: one slot of a resource pool, shared by every run here. */
  poolSlotFile(pool: string, index: number): string {
    assertPipelineId(pool);
    return path.join(this.root, 'pools', pool, `slot-${index}.lock`);
  }

  /**
   * `pools/.queue/`: the tickets of stages waiting for pool slots, of every
   * pool (a stage may wait for several); no pool id starts with a dot.
   */
  get poolQueueDir(): string {
    return path.join(this.root, 'pools', '.queue');
  }

  /** `runs/<runId>/`. */
  runDir(runId: string): string {
    assertRunId(runId);
    return path.join(this.runsDir, runId);
  }

  /** `runs/<runId>/run.json`, the checkpoint. */
  checkpointFile(runId: string): string {
    return path.join(this.runDir(runId), 'run.json');
  }

  /** `runs/<runId>/history.json`, the run's entry in the history (see `historyEntry.ts`). */
  historyFile(runId: string): string {
    return path.join(this.runDir(runId), HISTORY_FILE_NAME);
  }

  /** `runs/<runId>/events.jsonl`, the event log. */
  eventLogFile(runId: string): string {
    return path.join(this.runDir(runId), 'events.jsonl');
  }

  /** `runs/<runId>/owner.json`, who runs the run. */
  ownerFile(runId: string): string {
    return path.join(this.runDir(runId), 'owner.json');
  }

  /** `runs/<runId>/run.log`, the run's own log: Baton's notes that belong to no stage. */
  runLogFile(runId: string): string {
    return path.join(this.runDir(runId), 'run.log');
  }

  /** `runs/<runId>/logs/`. */
  logsDir(runId: string): string {
    return path.join(this.runDir(runId), 'logs');
  }

  /** `runs/<runId>/logs/<stage>.<attempt>.log`. */
  stageLogFile(runId: string, stage: string, attempt: number): string {
    assertStageId(stage);
    assertAttempt(attempt);
    return path.join(this.logsDir(runId), `${stage}.${attempt}.log`);
  }

  /** A glob of the names in `logs/` of every attempt's log: of one stage, or of all. */
  stageLogGlob(stage?: string): string {
    if (stage !== undefined) assertStageId(stage);
    return `${stage ?? '*'}.*.log`;
  }

  /** The stage and attempt a name in `logs/` is the log of; undefined for any other name. */
  stageLogOf(name: string): { readonly stage: string; readonly attempt: number } | undefined {
    const match = STAGE_LOG_NAME.exec(name);
    const stage = match?.[1];
    const attempt = Number(match?.[2]);
    if (stage === undefined || segmentProblem(stage) !== undefined || !(attempt >= 1)) return;
    return { stage, attempt };
  }

  /** `runs/<runId>/state/<stage>/`, the stage's `$BATON_STATE`. */
  stageStateDir(runId: string, stage: string): string {
    assertStageId(stage);
    return path.join(this.runDir(runId), 'state', stage);
  }

  /** `runs/<runId>/outputs/<stage>.<attempt>.env`, the attempt's `$BATON_OUTPUT`. */
  stageOutputFile(runId: string, stage: string, attempt: number): string {
    assertStageId(stage);
    assertAttempt(attempt);
    return path.join(this.runDir(runId), 'outputs', `${stage}.${attempt}.env`);
  }

  /** `runs/<runId>/summary/<stage>.md`, the stage's `$BATON_SUMMARY`. */
  stageSummaryFile(runId: string, stage: string): string {
    assertStageId(stage);
    return path.join(this.runDir(runId), 'summary', `${stage}.md`);
  }

  /** `runs/<runId>/inbox/`, requests dropped by other processes. */
  inboxDir(runId: string): string {
    return path.join(this.runDir(runId), 'inbox');
  }

  /** `numbers/<pipelineId>`: the number of the pipeline's latest run. */
  runNumberFile(pipelineId: string): string {
    assertPipelineId(pipelineId);
    return path.join(this.root, 'numbers', pipelineId);
  }

  /** `locks/<pipelineId>.lock`. */
  pipelineLockFile(pipelineId: string): string {
    assertPipelineId(pipelineId);
    return path.join(this.locksDir, `${pipelineId}.lock`);
  }
}
