import type { Clock } from '../clock';

/** How the detector sees the stage: the current unfinished line and whether it may ask now. */
export interface BareInputSource {
  /** The text after the last newline of stdout (empty when the last chunk ended a line). */
  partialLine(): string;
  /** Whether the process still runs and has no open prompt, so a question makes sense. */
  canAsk(): boolean;
  /**
   * Whether a process of the stage is blocked reading its stdin right now
   * (`/proc`); only asked after silence with nothing unfinished printed.
   */
  readsStdin?(): boolean;
}

/**
 * Notices a program waiting for input that Baton was not told about: stdout
 * ends in an unfinished line (`Name? ` from Python's `input()` or Node's
 * `readline.question`) and then nothing more arrives for `silenceMs` while the
 * process lives. It then reports the unfinished line once; more output re-arms it.
 *
 * A program can also wait having printed nothing: bash's `read -p` shows its
 * prompt only when stdin is a terminal, which a stage's never is. So after
 * silence with no unfinished line, a stage blocked reading its stdin is
 * reported with an empty question. That check is armed once per quiet spell
 * (not re-armed by every chunk), so chatty stages pay no timer per chunk.
 */
export class BareInputDetector {
  private cancelTimer: (() => void) | undefined;
  private cancelSilentCheck: (() => void) | undefined;
  private lastOutputAt: number;
  private disposed = false;

  constructor(
    private readonly source: BareInputSource,
    private readonly clock: Clock,
    private readonly silenceMs: number,
    private readonly onQuestion: (question: string) => void,
  ) {
    this.lastOutputAt = clock.now();
  }

  /**
   * Call after every stdout or stderr chunk, when the command starts and
   * after an answer is written: each restarts the silence.
   */
  noteOutput(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.lastOutputAt = this.clock.now();
    if (this.disposed) return;
    if (this.source.partialLine().trim() !== '') {
      this.cancelTimer = this.clock.schedule(this.silenceMs, () => this.fire());
    } else if (this.source.readsStdin && this.cancelSilentCheck === undefined) {
      this.cancelSilentCheck = this.clock.schedule(this.silenceMs, () => this.checkSilent());
    }
  }

  /** Stops watching (the attempt ended). */
  dispose(): void {
    this.disposed = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.cancelSilentCheck?.();
    this.cancelSilentCheck = undefined;
  }

  private fire(): void {
    this.cancelTimer = undefined;
    const question = this.source.partialLine().trim();
    if (this.disposed || question === '' || !this.source.canAsk()) {
      return;
    }
    this.onQuestion(question);
  }

  private checkSilent(): void {
    this.cancelSilentCheck = undefined;
    if (this.disposed) return;
    const quietFor = this.clock.now() - this.lastOutputAt;
    if (quietFor < this.silenceMs) {
      // Output came since this check was armed: wait until the stage has been quiet long enough.
      this.cancelSilentCheck = this.clock.schedule(this.silenceMs - quietFor, () =>
        this.checkSilent(),
      );
      return;
    }
    // An unfinished line is the other timer's to report.
    if (this.source.partialLine().trim() !== '' || !this.source.canAsk()) return;
    if (this.source.readsStdin?.() === true) this.onQuestion('');
  }
}
