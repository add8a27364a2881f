import type { Clock } from '../clock';

/** How the detector sees the stage: the current unfinished stdout line and whether it may ask now. */
export interface BareInputSource {
  /** The text after the last newline of stdout (empty when the last chunk ended a line). */
  partialLine(): string;
  /** Whether the process still runs and has no open prompt, so a question makes sense. */
  canAsk(): boolean;
}

/**
 * Notices a program waiting for input that Baton was not told about: stdout
 * ends in an unfinished line (`Name? ` from Python's `input()` or Node's
 * `readline.question`) and then nothing more arrives for `silenceMs` while the
 * process lives. It then reports the unfinished line once; more output re-arms it.
 */
export class BareInputDetector {
  private cancelTimer: (() => void) | undefined;
  private disposed = false;

  constructor(
    private readonly source: BareInputSource,
    private readonly clock: Clock,
    private readonly silenceMs: number,
    private readonly onQuestion: (question: string) => void,
  ) {}

  /** Call after every stdout or stderr chunk: output restarts the silence. */
  noteOutput(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    if (this.disposed || this.source.partialLine().trim() === '') {
      return;
    }
    this.cancelTimer = this.clock.schedule(this.silenceMs, () => this.fire());
  }

  /** Stops watching (the attempt ended). */
  dispose(): void {
    this.disposed = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  private fire(): void {
    this.cancelTimer = undefined;
    const question = this.source.partialLine().trim();
    if (this.disposed || question === '' || !this.source.canAsk()) {
      return;
    }
    this.onQuestion(question);
  }
}
