import type { AnswerValue } from '../pipeline/model';
import type { Timer } from './events';
import type { KillReason, PromptState, RunStatus, StageExports, StageHandle } from './state';

/** How an attempt is launched: its substituted command, cwd, own env and what its needs exported. */
export interface AttemptLaunch {
  readonly command: string;
  readonly cwd?: string;
  readonly env: Readonly<Record<string, string>>;
  readonly inherited?: StageExports;
}

/**
 * What the core asks the shell to do after a transition. Effects are plain
 * descriptors; the shell carries them out in order and reports outcomes back
 * as events.
 */
export type Effect =
  /**
   * Start a stage attempt; `command` is already substituted; `env` is the
   * stage's own env (not the process env); `inherited` is what the stages it
   * needs exported (see `inheritedExports`), absent when they exported nothing.
   */
  | {
      readonly type: 'spawnStage';
      readonly stage: string;
      readonly attempt: number;
      readonly command: string;
      readonly cwd?: string;
      readonly env: Readonly<Record<string, string>>;
      readonly inherited?: StageExports;
    }
  /**
   * Compute a pending stage's fingerprint and judge it against the record
   * (`decideUnit`), then report `stageChecked`. `command`, `cwd` and `env`
   * are resolved as `spawnStage` would get them; `inputs` are the values of
   * the pipeline inputs the stage reads; `upstream` the digests of the stages
   * it needs or reads from; `forced` says the record must be ignored.
   */
  | {
      readonly type: 'checkStage';
      readonly stage: string;
      readonly command: string;
      readonly cwd?: string;
      readonly env: Readonly<Record<string, string>>;
      readonly inputs: Readonly<Record<string, AnswerValue>>;
      readonly upstream: Readonly<Record<string, string>>;
      readonly forced: boolean;
    }
  /**
   * List the files a `foreach:` glob matches (relative to `cwd`, sorted),
   * then report `itemsListed`; the list is recorded so a resume sees it.
   */
  | {
      readonly type: 'listItems';
      readonly stage: string;
      readonly pattern: string;
      readonly cwd?: string;
    }
  /**
   * Queue for the stage's pool slots (`resources`: slots per pool), across
   * every run and process of the workspace, in order of arrival; report why
   * it waits (`slotsWaiting`) and then `slotsAcquired`. `attempt` is the
   * attempt that will run with them.
   */
  | {
      readonly type: 'acquireSlots';
      readonly stage: string;
      readonly attempt: number;
      readonly resources: Readonly<Record<string, number>>;
    }
  /** Give back the stage's pool slots, or leave the queue for them (harmless when it has none). */
  | { readonly type: 'releaseSlots'; readonly stage: string }
  /** Record the stage's success under its fingerprint, so a later run can skip it. */
  | {
      readonly type: 'recordStage';
      readonly stage: string;
      readonly attempt: number;
      readonly fingerprint: string;
    }
  /**
   * Follow an attempt that a resumed run re-attached to (its handle is
   * detached): take its output from where the log ends, its prompts, and its
   * exit as if this shell had started it. No new attempt starts. `launch` is
   * the attempt's command as `spawnStage` gave it (built again from the same
   * state), so an executor that never received the attempt (the engine died
   * between recording its handle and handing it over) hands it over now,
   * under the same handle.
   */
  | {
      readonly type: 'attachStage';
      readonly stage: string;
      readonly attempt: number;
      readonly handle: StageHandle;
      readonly launch?: AttemptLaunch;
    }
  /** End the attempt's whole process tree (TERM, then KILL after a grace period). */
  | {
      readonly type: 'killStage';
      readonly stage: string;
      readonly attempt: number;
      readonly reason: KillReason;
    }
  /** Collect a hang diagnosis (last lines, process tree, CPU, open prompt) into the event log. */
  | { readonly type: 'diagnoseStage'; readonly stage: string; readonly attempt: number }
  /** Show a prompt to whoever can answer. */
  | { readonly type: 'askUser'; readonly prompt: PromptState }
  /**
   * A prompt closed: `by` is who answered (`cli`, `rpc`, …), `default` or
   * `recorded` (a reused answer); with no answer it says why: `exited` (the
   * stage ended), a kill reason (`cancel`, `timeout`, `idle`, `unanswered`),
   * `interrupted` or `runFailed`. Recorded answers and a non-interactive run's
   * defaults close a prompt that was never shown (no `askUser` before).
   */
  | {
      readonly type: 'closePrompt';
      readonly promptId: string;
      readonly answer?: AnswerValue;
      readonly by: string;
    }
  /** Write text (an answer plus newline) to the attempt's stdin. */
  | {
      readonly type: 'writeStdin';
      readonly stage: string;
      readonly attempt: number;
      readonly text: string;
    }
  /** Start (or restart) a timer that fires at epoch ms `at`. */
  | { readonly type: 'startTimer'; readonly timer: Timer; readonly at: number }
  /** Stop a timer; cancelling a timer that already fired or never started is a no-op. */
  | { readonly type: 'cancelTimer'; readonly timer: Timer }
  /** Write the checkpoint now (state reached a point worth an fsync). */
  | { readonly type: 'persist' }
  /** The run reached a final or resumable status; emitted once each time it does. */
  | { readonly type: 'runFinished'; readonly status: RunStatus; readonly reason?: string };
