import { timerKey, transition } from '@baton/core';
import { listFanOutItems } from './itemListing';
import type { ListItemsEffect } from './itemListing';
import type {
  Effect,
  KillReason,
  LoggedEvent,
  RunEvent,
  RunState,
  RunStatus,
  Timer,
} from '@baton/core';
import type { Clock } from '../clock';
import type { EngineEvents, RunChange } from '../engineEvents';
import type { Masker } from '../../output/masker';
import { MaskedRunState } from '../../output/maskedRunState';
import { answerNote, inputAnswerNote } from './answerNote';
import type { RunRecorder } from './runRecorder';
import { TimerTable } from './timerTable';
import type { TypedEmitter } from '../typedEmitter';

/** The effect that starts a stage attempt. */
export type SpawnEffect = Extract<Effect, { type: 'spawnStage' }>;

/** The effects that make an attempt live in this process: a new one, or one re-attached on resume. */
export type AttemptEffect = SpawnEffect | Extract<Effect, { type: 'attachStage' }>;

/** A running stage attempt as the controller sees it. */
export interface AttemptControl {
  /** Last time the attempt printed or reported anything (epoch ms). */
  readonly lastActivityAt: number;
  /** Ends the attempt's process tree; its exit is reported as usual. */
  kill(reason: KillReason): void;
  /** Writes an answer to the attempt's stdin. */
  writeStdin(text: string): void;
  /** Writes a hang diagnosis (last lines, process tree, open prompt) into the log. */
  diagnose(): void;
  /** Writes a line of Baton's own into the log, after any answer being written to stdin. */
  note(text: string): void;
  /** Kills the attempt without reporting its exit (the run is being interrupted). */
  abandon(): Promise<void>;
  /** Settles once the attempt ended and its exit was reported (or abandoned). */
  readonly settled: Promise<void>;
}

/** What the controller needs from its surroundings. */
export interface RunControllerOptions {
  readonly state: RunState;
  readonly clock: Clock;
  readonly masker: Masker;
  readonly recorder: RunRecorder;
  readonly emitter: TypedEmitter<EngineEvents>;
  /** Starts an attempt; the attempt reports back through `controller.dispatch`. */
  readonly startAttempt: (effect: AttemptEffect, controller: RunController) => AttemptControl;
  /**
   * Lets go of the run (locks, inbox) once everything is written, before
   * listeners hear the final status: a listener reacting to it may start the
   * next run of the pipeline at once. Never rejects.
   */
  readonly release: () => Promise<void>;
  /** Writes a note (whole lines) to the run's own log, masked (see `RunLog`). */
  readonly noteRun: (text: string) => void;
  /** Carries out `checkStage` and `recordStage` (see `RunIncremental`). */
  readonly incremental: {
    check(effect: Extract<Effect, { type: 'checkStage' }>, run: RunController): void;
    record(effect: Extract<Effect, { type: 'recordStage' }>, state: RunState): void;
    /** Settles once every check and record under way is done. */
    drain(): Promise<void>;
  };
  /** Carries out `acquireSlots` and `releaseSlots` (see `RunPoolSlots`). */
  readonly pools: {
    acquire(effect: Extract<Effect, { type: 'acquireSlots' }>): void;
    release(stage: string): void;
  };
  /** Called last, once the run was let go of and listeners were told its final status. */
  readonly onFinished: (status: RunStatus, reason: string | undefined) => void;
}

/** The result of offering an event to the run. */
export type DispatchResult =
  { readonly accepted: true } | { readonly accepted: false; readonly reason: string };

/**
 * Owns one run in this process: feeds events to the core's `transition`,
 * logs every accepted event, carries out the returned effects and tells
 * listeners. Events raised while effects are being applied are queued and
 * handled in order, so `transition` never runs re-entrantly.
 */
export class RunController {
  private current: RunState;
  /** The masked state as of the last accepted event, and the changes not yet announced. */
  private readonly masked: MaskedRunState;
  private unannounced: RunChange[] = [];
  private readonly queue: RunEvent[] = [];
  private draining = false;
  private readonly timers: TimerTable;
  private readonly attempts = new Map<string, AttemptControl>();
  private interrupting = false;
  private finishing: Promise<void> | undefined;
  /** Set once the event log is closed: nothing can be recorded any more. */
  private closed = false;

  constructor(private readonly options: RunControllerOptions) {
    this.current = options.state;
    this.masked = new MaskedRunState(options.masker, options.state);
    this.timers = new TimerTable(options.clock);
  }

  /** The run's current state (not masked; mask before showing it). */
  get state(): RunState {
    return this.current;
  }

  get runId(): string {
    return this.current.runId;
  }

  /** The run's current state with its secrets masked, as listeners and the checkpoint see it. */
  get maskedState(): RunState {
    return this.masked.of(this.current);
  }

  /** Whether the run is being interrupted, so attempt exits are no longer reported. */
  get isInterrupting(): boolean {
    return this.interrupting;
  }

  /**
   * Offers an event. Outside effect handling the result says whether the core
   * accepted it; events raised by effects are queued and reported as accepted.
   */
  dispatch(event: RunEvent): DispatchResult {
    if (this.closed) {
      return { accepted: false, reason: 'the run has finished in this process' };
    }
    if (this.draining) {
      this.queue.push(event);
      return { accepted: true };
    }
    this.draining = true;
    try {
      const result = this.apply(event);
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        this.apply(next);
      }
      return result;
    } finally {
      this.draining = false;
    }
  }

  /**
   * Interrupts the run: kills every attempt without reporting its exit,
   * records `runInterrupted` and waits until everything is written.
   */
  async interrupt(reason: string): Promise<void> {
    if (this.interrupting || this.finishing) {
      await this.finishing;
      return;
    }
    this.interrupting = true;
    this.timers.clear();
    await Promise.all([...this.attempts.values()].map((attempt) => attempt.abandon()));
    this.attempts.clear();
    this.dispatch({ type: 'runInterrupted', at: this.options.clock.now(), reason });
    // A core that did not finish the run on runInterrupted still gets its files written.
    this.finishing ??= this.finish('interrupted', reason);
    await this.finishing;
  }

  /** Resolves when the run has finished and this controller let go of it. */
  get finished(): Promise<void> | undefined {
    return this.finishing;
  }

  /** Called by an attempt once its exit was reported, so the controller forgets it. */
  forgetAttempt(stage: string, attempt: number): void {
    this.attempts.delete(attemptKey(stage, attempt));
  }

  private apply(event: RunEvent): DispatchResult {
    const result = transition(this.current, event);
    if (result.rejected !== undefined) {
      const reason = String(result.rejected);
      this.options.emitter.emit('problem', {
        runId: this.runId,
        message: `ignored ${event.type}: ${reason}`,
      });
      return { accepted: false, reason };
    }
    const previous = this.current;
    this.current = result.state;
    const logged = { ...event, seq: this.current.seq } as LoggedEvent;
    const masked = this.options.masker.maskValue(logged);
    this.options.recorder.appendEvent(masked);
    this.options.emitter.emit('event', { runId: this.runId, event: masked });
    const before = this.masked.of(previous);
    const after = this.masked.advance(this.current);
    this.unannounced.push({ before, event: masked, after });
    // Listeners hear of the new state before any effect of it (an opened prompt, say),
    // so whatever an effect's notification names is already in the state they can read.
    // The last state of a finishing run is announced by `finish`, once the locks are free.
    const finishes = result.effects.some((effect) => effect.type === 'runFinished');
    if (!this.finishing && !finishes) this.emitRunChanged();
    for (const effect of result.effects) {
      this.applyEffect(effect);
      if (effect.type === 'closePrompt') this.noteAnswer(previous, effect);
    }
    return { accepted: true };
  }

  /** Lists a `foreach:` glob and hands the files back to the core as `itemsListed`. */
  private async listItems(effect: ListItemsEffect): Promise<void> {
    const clock = this.options.clock;
    const event = await listFanOutItems(effect, this.current.pipeline.file, () => clock.now());
    if (!this.interrupting && !this.finishing) this.dispatch(event);
  }

  private emitRunChanged(): void {
    this.options.emitter.emit('runChanged', {
      runId: this.runId,
      seq: this.current.seq,
      state: this.maskedState,
      changes: this.unannounced.splice(0),
    });
  }

  private applyEffect(effect: Effect): void {
    switch (effect.type) {
      case 'spawnStage':
      case 'attachStage':
        this.startAttempt(effect);
        return;
      case 'checkStage':
        if (!this.interrupting) this.options.incremental.check(effect, this);
        return;
      case 'recordStage':
        this.options.incremental.record(effect, this.current);
        return;
      case 'listItems':
        if (!this.interrupting) void this.listItems(effect);
        return;
      case 'acquireSlots':
        if (!this.interrupting) this.options.pools.acquire(effect);
        return;
      case 'releaseSlots':
        this.options.pools.release(effect.stage);
        return;
      case 'killStage':
        this.attempt(effect.stage, effect.attempt)?.kill(effect.reason);
        return;
      case 'diagnoseStage':
        this.attempt(effect.stage, effect.attempt)?.diagnose();
        return;
      case 'writeStdin':
        this.attempt(effect.stage, effect.attempt)?.writeStdin(effect.text);
        return;
      case 'startTimer':
        this.startTimer(effect.timer, effect.at);
        return;
      case 'cancelTimer':
        this.timers.cancel(timerKey(effect.timer));
        return;
      case 'askUser':
        this.options.emitter.emit('promptOpened', {
          runId: this.runId,
          seq: this.current.seq,
          prompt: this.options.masker.maskValue(effect.prompt),
        });
        return;
      case 'closePrompt':
        this.emitPromptClosed(effect);
        return;
      case 'persist':
        this.options.recorder.writeCheckpoint(this.maskedState);
        return;
      case 'runFinished':
        this.finishing ??= this.finish(effect.status, effect.reason);
        return;
      default: {
        const never: never = effect;
        throw new Error(`unknown effect ${JSON.stringify(never)}`);
      }
    }
  }

  private emitPromptClosed(effect: Extract<Effect, { type: 'closePrompt' }>): void {
    const masker = this.options.masker;
    const base = {
      runId: this.runId,
      seq: this.current.seq,
      promptId: effect.promptId,
      by: effect.by,
    };
    this.options.emitter.emit(
      'promptClosed',
      effect.answer === undefined ? base : { ...base, answer: masker.maskValue(effect.answer) },
    );
  }

  /**
   * Writes who answered a question, and what: a stage's question into that
   * stage's log, a pipeline input into the run's own log.
   */
  private noteAnswer(previous: RunState, effect: Extract<Effect, { type: 'closePrompt' }>): void {
    const prompt = previous.prompts[effect.promptId];
    if (effect.answer === undefined || prompt === undefined) return;
    const secret = prompt.secret === true;
    if (prompt.kind === 'input') {
      this.options.noteRun(inputAnswerNote(prompt.input, effect.answer, effect.by, secret));
      return;
    }
    this.attempt(prompt.stage, prompt.attempt)?.note(answerNote(effect.answer, effect.by, secret));
  }

  private startAttempt(effect: AttemptEffect): void {
    const control = this.options.startAttempt(effect, this);
    this.attempts.set(attemptKey(effect.stage, effect.attempt), control);
  }

  private attempt(stage: string, attempt: number): AttemptControl | undefined {
    return this.attempts.get(attemptKey(stage, attempt));
  }

  private startTimer(timer: Timer, at: number): void {
    this.timers.start(timerKey(timer), at, () => {
      if (this.interrupting) {
        return;
      }
      const now = this.options.clock.now();
      if (timer.kind === 'idleCheck') {
        const lastActivityAt = this.attempt(timer.stage, timer.attempt)?.lastActivityAt;
        this.dispatch(
          lastActivityAt === undefined
            ? { type: 'timerFired', timer, at: now }
            : { type: 'timerFired', timer, lastActivityAt, at: now },
        );
        return;
      }
      this.dispatch({ type: 'timerFired', timer, at: now });
    });
  }

  /** Waits for attempts still winding down, writes the final checkpoint and lets go. */
  private async finish(status: RunStatus, reason: string | undefined): Promise<void> {
    // Let the current dispatch finish first, so the checkpoint holds its final state.
    await Promise.resolve();
    await Promise.all([...this.attempts.values()].map((attempt) => attempt.settled));
    // Records of successes are written before the run counts as over, so the next run sees them.
    await this.options.incremental.drain().catch(() => undefined);
    this.timers.clear();
    this.options.recorder.writeCheckpoint(this.maskedState);
    this.closed = true;
    try {
      await this.options.recorder.close();
    } catch (error) {
      // The run is over either way; the locks must still be let go of.
      this.options.emitter.emit('problem', {
        runId: this.runId,
        message: `closing the run's files: ${String(error)}`,
      });
    }
    await this.options.release();
    this.emitRunChanged();
    this.options.emitter.emit(
      'runFinished',
      reason === undefined ? { runId: this.runId, status } : { runId: this.runId, status, reason },
    );
    this.options.onFinished(status, reason);
  }
}

function attemptKey(stage: string, attempt: number): string {
  return `${stage}#${attempt}`;
}
