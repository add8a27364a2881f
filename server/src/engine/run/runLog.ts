/**
 * The run's own log (`runs/<id>/run.log`): Baton's notes that belong to the
 * run rather than to one stage, such as who answered a pipeline input and
 * what. Written with the same writer as stage logs and through the run's one
 * masker; each note is also told to listeners (`'runLog'`), so the editor
 * shows it in the run's channel in order with the stages' output.
 */
import type { Masker } from '../../output/masker';
import type { LogWriter } from '../../store/logWriter';
import type { RunStore } from '../../store/runStore';
import type { EngineEvents } from '../engineEvents';
import type { TypedEmitter } from '../typedEmitter';

/** Appends notes to one run's `run.log`; the file is made with the first note. */
export class RunLog {
  private writer: Promise<LogWriter | undefined> | undefined;

  constructor(
    private readonly runId: string,
    private readonly store: RunStore,
    private readonly masker: Masker,
    private readonly emitter: TypedEmitter<EngineEvents>,
  ) {}

  /** Writes a note (whole lines, ending with a newline), masked, and tells listeners. */
  note(text: string): void {
    const masked = this.masker.mask(text);
    this.writer ??= this.store.openRunLog(this.runId).catch((error: unknown) => {
      this.problem(error);
      return undefined;
    });
    // Writes keep their order: each waits for the one open, and a writer buffers in order.
    void this.writer
      .then((writer) => writer?.write(masked))
      .catch((error: unknown) => this.problem(error));
    const bytes = Buffer.byteLength(masked, 'utf8');
    this.emitter.emit('runLog', { runId: this.runId, text: masked, bytes });
  }

  /** Writes what is buffered and closes the file (a later note opens it again). */
  async close(): Promise<void> {
    const writer = await this.writer;
    this.writer = undefined;
    await writer?.close().catch((error: unknown) => this.problem(error));
  }

  private problem(error: unknown): void {
    this.emitter.emit('problem', {
      runId: this.runId,
      message: `run log: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
}
