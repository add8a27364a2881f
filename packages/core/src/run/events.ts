import type { AnswerValue, PromptType } from '../pipeline/model';
import type {
  ExecutorCondition,
  Progress,
  StageDiagnosis,
  StageExports,
  StageHandle,
} from './state';

/**
 * Timers the core asks the shell to start (`startTimer`) and that come back as
 * `timerFired`. A timer is identified by its content, so the shell can key it
 * with `timerKey(timer)`.
 */
export type Timer =
  | { readonly kind: 'stageTimeout'; readonly stage: string; readonly attempt: number }
  | { readonly kind: 'idleCheck'; readonly stage: string; readonly attempt: number }
  | { readonly kind: 'retryDue'; readonly stage: string; readonly attempt: number }
  | { readonly kind: 'promptDeadline'; readonly promptId: string };

/**
 * Everything that can happen to a run. Each accepted event gets the next
 * sequence number and is appended to the run's event log; replaying the log
 * from `createRun` reproduces the state exactly. Times (`at`) and random
 * numbers (`random`) are supplied by the shell, never read by the core.
 */
export type RunEvent =
  /** The run starts (from `queued`). Opens prompts for inputs not yet given. */
  | { readonly type: 'runStarted'; readonly at: number }
  /** The shell spawned a stage attempt the core asked for. */
  | {
      readonly type: 'stageStarted';
      readonly stage: string;
      readonly attempt: number;
      readonly pid?: number;
      /** Recorded before a detached attempt can run anywhere (write-ahead), so a resume finds it. */
      readonly handle?: StageHandle;
      readonly at: number;
    }
  /**
   * A remote executor's worker took the attempt: `where` names it ("worker
   * gpu-1 on host a100") and replaces the handle's `where`.
   */
  | {
      readonly type: 'stageClaimed';
      readonly stage: string;
      readonly attempt: number;
      readonly where: string;
      readonly at: number;
    }
  /**
   * The executor of a running remote attempt reports what holds it up (no
   * worker on its queue, the executor unreachable), or, without `condition`,
   * that nothing does any more. Statuses do not change.
   */
  | {
      readonly type: 'stageExecutorCondition';
      readonly stage: string;
      readonly attempt: number;
      readonly condition?: ExecutorCondition;
      readonly at: number;
    }
  /**
   * The shell diagnosed a quiet attempt (asked by a `diagnoseStage` effect):
   * recorded on the stage as `lastDiagnosis`; statuses do not change.
   */
  | {
      readonly type: 'stageDiagnosed';
      readonly stage: string;
      readonly attempt: number;
      readonly diagnosis: StageDiagnosis;
      readonly at: number;
    }
  /** A stage reported progress (already throttled by the shell). */
  | {
      readonly type: 'stageProgress';
      readonly stage: string;
      readonly attempt: number;
      readonly progress: Progress;
      readonly at: number;
    }
  /**
   * A stage attempt ended (or could not be spawned: `exitCode` undefined and
   * `error` set). `outputs` are read from `$BATON_OUTPUT`; `missingOutputs`
   * lists declared output globs that matched nothing; `exported` is what the
   * stage wrote to `$GITHUB_ENV` and `$GITHUB_PATH` for the stages that need
   * it (recorded here so a resume hands them the same values). `random` in
   * [0, 1) feeds retry jitter.
   */
  | {
      readonly type: 'stageExited';
      readonly stage: string;
      readonly attempt: number;
      readonly exitCode?: number;
      readonly signal?: string;
      readonly error?: string;
      readonly outputs?: Readonly<Record<string, string>>;
      readonly missingOutputs?: readonly string[];
      readonly exported?: StageExports;
      /** The digest of what the attempt handed on (see `StageState.digest`). */
      readonly digest?: string;
      readonly random: number;
      readonly at: number;
    }
  /**
   * The shell computed a pending stage's fingerprint (asked by `checkStage`)
   * and `decideUnit` judged it: `run` it, or `skip` it as up to date, reusing
   * the recorded success in `reuse`. `reason` says why, in plain words.
   */
  | {
      readonly type: 'stageChecked';
      readonly stage: string;
      readonly fingerprint: string;
      readonly action: 'run' | 'skip';
      readonly reason: string;
      readonly reuse?: ReusedSuccess;
      readonly at: number;
    }
  /**
   * The shell listed the files of a stage's `foreach:` glob (asked by
   * `listItems`): one unit per file, in this order; `error` when it could not.
   */
  | {
      readonly type: 'itemsListed';
      readonly stage: string;
      readonly items: readonly string[];
      readonly error?: string;
      readonly at: number;
    }
  /**
   * The shell is queued for a stage's pool slots (asked by `acquireSlots`)
   * and says why it waits, in plain words ("waiting for pool gpu: held by
   * run … stage train"); the stage keeps waiting, with this reason.
   */
  | {
      readonly type: 'slotsWaiting';
      readonly stage: string;
      readonly attempt: number;
      readonly reason: string;
      readonly at: number;
    }
  /**
   * The shell took every pool slot a stage asked for (`acquireSlots`): the
   * stage starts as soon as a concurrency slot is free, and holds its pool
   * slots until it stops running.
   */
  | {
      readonly type: 'slotsAcquired';
      readonly stage: string;
      readonly attempt: number;
      readonly at: number;
    }
  /**
   * A running stage asked a question (`::prompt` or a detected bare `input()`).
   * `promptId` is the prompt's id within the stage; the open prompt's key
   * (`PromptState.id`) is `<stage>/<promptId>`. `secret`, `confirmWords` and
   * `allowOther` come from the conventions of the library that asked (see
   * `readQuestion`) and mean what they mean on `PromptState`.
   */
  | {
      readonly type: 'promptOpened';
      readonly promptId: string;
      readonly stage: string;
      readonly attempt: number;
      readonly message: string;
      readonly promptType: PromptType;
      readonly options?: readonly string[];
      readonly default?: AnswerValue;
      readonly timeoutMs?: number;
      readonly secret?: boolean;
      readonly confirmWords?: readonly [string, string];
      readonly allowOther?: boolean;
      readonly at: number;
    }
  /**
   * Someone answered an open prompt; `promptId` is the open prompt's key
   * (`PromptState.id`: `inputs.<id>` or `<stage>/<promptId>`); `by` names who
   * (`cli`, `rpc`, `default`, …). Answers by `default` are not recorded for reuse.
   */
  | {
      readonly type: 'promptAnswered';
      readonly promptId: string;
      readonly value: AnswerValue;
      readonly by: string;
      readonly at: number;
    }
  /**
   * A timer fired. For `idleCheck` the shell includes when it last saw output
   * or progress from that attempt, so the core can tell a hang from a pause.
   */
  | {
      readonly type: 'timerFired';
      readonly timer: Timer;
      readonly lastActivityAt?: number;
      readonly at: number;
    }
  /** The user asked to stop the run. */
  | { readonly type: 'cancelRequested'; readonly at: number; readonly reason?: string }
  /**
   * The shell found the run's owner gone (crash, kill -9, reboot). The core
   * emits no kills: a shell interrupting its own run kills its processes first.
   */
  | { readonly type: 'runInterrupted'; readonly at: number; readonly reason: string }
  /**
   * The run resumes after interruption or failure, following `planResume`;
   * `rerun` forces these stages (and what depends on them) to run again.
   */
  | {
      readonly type: 'runResumed';
      readonly at: number;
      readonly rerun?: readonly string[];
      readonly interactive: boolean;
    };

/** A recorded success an up-to-date stage takes over instead of running. */
export interface ReusedSuccess {
  readonly runId: string;
  readonly outputs: Readonly<Record<string, string>>;
  readonly exported?: StageExports;
  readonly digest: string;
}

/** An event as stored in the log: the event plus its sequence number. */
export type LoggedEvent = RunEvent & { readonly seq: number };

/** The event of one type, e.g. `RunEventOf<'stageExited'>`. */
export type RunEventOf<T extends RunEvent['type']> = Extract<RunEvent, { type: T }>;
