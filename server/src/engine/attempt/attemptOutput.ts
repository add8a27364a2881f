import type { Progress } from '@baton/core';
import type { Masker } from '../../output/masker';
import { StageOutputProcessor } from '../../output/stageOutput';
import type { OutputLine, StageOutputSink, StagePrompt } from '../../output/stageOutput';
import type { Annotation } from '../../output/stageCommand';
import type { LogWriter } from '../../store/logWriter';
import type { EngineEvents } from '../engineEvents';
import { byteLengthOfPieces, LogBatch } from '../logBatch';
import type { LogPiece } from '../logBatch';
import { RecentLines } from './recentLines';
import type { TypedEmitter } from '../typedEmitter';

/** Lines kept for a hang diagnosis. */
const DIAGNOSIS_LINES = 20;

/** What an attempt's output needs from the attempt. */
export interface AttemptOutputDeps {
  readonly runId: string;
  readonly stage: string;
  readonly attempt: number;
  /** The run's masker: the one every attempt of the run and every record of it share. */
  readonly masker: Masker;
  readonly emitter: TypedEmitter<EngineEvents>;
  /** Progress the stage printed (`::progress`, a tqdm bar, OSC 9;4), masked. */
  readonly onProgress: (progress: Progress) => void;
  /** A question the stage asked with `::prompt` (its message masked, options and default real). */
  readonly onPrompt: (prompt: StagePrompt) => void;
  /**
   * The stage's process once spawned: its pipes are paused while the log
   * writer is behind, if it can pause them (else the writer's cap bounds memory).
   */
  readonly process: () => unknown;
  /** Longest line before it is split (tests use short ones). */
  readonly maxLineLength?: number;
  /** False sends every line through the per-line rules: the reference the fast path is tested against. */
  readonly plainRuns?: boolean;
}

/** A stage process whose output pipes can be paused (flow control for slow log writes). */
interface PausableOutput {
  pauseOutput(): void;
  resumeOutput(): void;
}

function isPausable(process: unknown): process is PausableOutput {
  const candidate = process as Partial<PausableOutput> | undefined;
  return (
    typeof candidate?.pauseOutput === 'function' && typeof candidate.resumeOutput === 'function'
  );
}

/**
 * The log side of one stage attempt, and the sink of its output processor:
 * the stage's output goes, masked once by the run's masker, to the attempt's
 * log file and to `'log'` events, in the order the stage printed it relative
 * to its prompts, progress and annotations, with the stage's pipes paused
 * while the log writer is behind.
 *
 * Text is batched: the lines and plain runs of one chunk become one log write
 * and one `'log'` event (per-line events would cost every listener a call per
 * line when a stage floods its output). Any other report ends the batch
 * first, so text, prompts and annotations keep their order.
 */
export class AttemptOutput implements StageOutputSink {
  private log: LogWriter | undefined;
  private closed = false;
  private held = false;
  private batch: LogPiece[] = [];
  private readonly recentLines = new RecentLines(DIAGNOSIS_LINES);
  private readonly processor: StageOutputProcessor;

  constructor(private readonly deps: AttemptOutputDeps) {
    this.processor = new StageOutputProcessor(this, {
      masker: deps.masker,
      ...(deps.maxLineLength === undefined ? {} : { maxLineLength: deps.maxLineLength }),
      ...(deps.plainRuns === undefined ? {} : { plainRuns: deps.plainRuns }),
    });
  }

  /** Takes the attempt's opened log; output before this is not written anywhere. */
  attach(log: LogWriter): void {
    this.log = log;
  }

  /** Feeds a chunk of the stage's output. */
  push(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    this.processor.push(chunk, stream);
    this.writeBatch();
  }

  /** The stage's pipes closed: handles what the processor still held (an unfinished last line). */
  end(): void {
    this.processor.flush();
    this.writeBatch();
  }

  /**
   * An answer is being written to the stage's stdin: its unfinished stdout
   * line (the question of a bare `input()`) ends here, as a terminal's echo ends it.
   */
  endLine(): void {
    this.processor.endLine('stdout');
    // getpass asks on stderr: its question line ends at the answer too.
    if (this.processor.partialLine('stderr') !== '') this.processor.endLine('stderr');
    this.writeBatch();
  }

  /** The masked text after the last newline of stdout (or stderr), for bare-input detection. */
  partialLine(stream: 'stdout' | 'stderr' = 'stdout'): string {
    return this.processor.partialLine(stream);
  }

  /** Writes what is buffered and closes the log; later text (a late diagnosis) is dropped. */
  async close(): Promise<void> {
    this.closed = true;
    await this.log?.close().catch(() => undefined);
  }

  /** The last lines the stage printed, for a hang diagnosis. */
  recentLinesMasked(): string[] {
    // Masked again on reading: a value masked after the line was printed is hidden too.
    return this.recentLines.read((line) => this.deps.masker.mask(line));
  }

  /** Text that is not the stage's own output (a watched file, a diagnosis): masked, to the log and its event. */
  writeLog(text: string): void {
    // A diagnosis can arrive after the log was closed, between the exit and its report.
    if (this.closed) return;
    this.writeBatch();
    this.batch.push(this.deps.masker.mask(text));
    this.writeBatch();
  }

  /** Sink: a masked line, with the ending it had. */
  line(line: OutputLine): void {
    const text = withEnding(line);
    const last = this.batch.length - 1;
    const previous = this.batch[last];
    // Lines of the per-line path come one by one: join them to the text just before.
    if (typeof previous === 'string') this.batch[last] = previous + text;
    else this.batch.push(text);
  }

  /** Sink: complete ordinary lines, the very bytes the stage printed (nothing to mask in them). */
  plain(bytes: Buffer): void {
    this.batch.push(bytes);
  }

  /** Sink: masked progress. */
  progress(progress: Progress): void {
    this.writeBatch();
    this.deps.onProgress(progress);
  }

  /** Sink: a question the stage asked. */
  prompt(prompt: StagePrompt): void {
    this.writeBatch();
    this.deps.onPrompt(prompt);
  }

  /** Sink: a masked annotation, in the engine's shape. */
  annotation({ col, endLine: _endLine, endColumn: _endColumn, ...rest }: Annotation): void {
    this.writeBatch();
    const { runId, stage, attempt } = this.deps;
    this.deps.emitter.emit('annotation', {
      runId,
      stage,
      attempt,
      annotation: col === undefined ? rest : { ...rest, column: col },
    });
  }

  /**
   * Writes the batch: its pieces reach the log as they are (plain runs as
   * the bytes the stage printed), and the event carries them undecoded, for
   * listeners to decode what they read of it.
   */
  private writeBatch(): void {
    const batch = this.batch;
    if (batch.length === 0) return;
    this.batch = [];
    if (this.closed) return;
    const bytes = byteLengthOfPieces(batch);
    if (bytes === 0) return;
    this.recentLines.record(batch);
    const log = this.log;
    if (log !== undefined) {
      let keepUp = true;
      for (const piece of batch) keepUp = log.write(piece) && keepUp;
      if (!keepUp) this.holdOutputUntilDrained(log);
    }
    const { runId, stage, attempt } = this.deps;
    this.deps.emitter.emit('log', new LogBatch(runId, stage, attempt, batch, bytes));
  }

  /**
   * The log writer is behind (a stage printing faster than the disk takes
   * it): stop reading the stage's pipes until the writer has drained, so the
   * stage blocks on its full pipe instead of the engine buffering its output.
   */
  private holdOutputUntilDrained(log: LogWriter): void {
    const process = this.deps.process();
    if (this.held || !isPausable(process)) return;
    this.held = true;
    process.pauseOutput();
    void log.drained().then(() => {
      this.held = false;
      process.resumeOutput();
    });
  }
}

/**
 * A log line with its ending: a carriage-return update ends in `\r` (so a
 * terminal showing the log redraws it in place), a line split at the length
 * limit has none, every other line ends in `\n`.
 */
function withEnding(line: OutputLine): string {
  if (line.continues === true) return line.text;
  return line.kind === 'overwrite' ? `${line.text}\r` : `${line.text}\n`;
}
