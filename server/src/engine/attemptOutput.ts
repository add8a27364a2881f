import type { Progress } from '@baton/core';
import type { LogWriter } from '../store/logWriter';
import type { EngineEvents } from './engineEvents';
import type { Masker } from './masker';
import type { StageOutputItem, StageOutputParser, StagePromptRequest } from './outputPort';
import { RecentLines } from './recentLines';
import type { TypedEmitter } from './typedEmitter';

/** Lines kept for a hang diagnosis. */
const DIAGNOSIS_LINES = 20;

/** What an attempt's output needs from the attempt. */
export interface AttemptOutputDeps {
  readonly runId: string;
  readonly stage: string;
  readonly attempt: number;
  readonly parser: StageOutputParser;
  /** The run's masker: the parser may not know every value (another stage's `::add-mask::`). */
  readonly masker: Masker;
  readonly emitter: TypedEmitter<EngineEvents>;
  /** Progress the stage printed (`::progress`, a tqdm bar, OSC 9;4). */
  readonly onProgress: (progress: Progress) => void;
  /** A question the stage asked with `::prompt`. */
  readonly onPrompt: (request: StagePromptRequest) => void;
  /**
   * The stage's process once spawned: its pipes are paused while the log
   * writer is behind, if it can pause them (else the writer's cap bounds memory).
   */
  readonly process: () => unknown;
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

/** Text for the log as it came from the parser: decoded lines and undecoded plain runs, in order. */
type TextPiece = string | Buffer;

/**
 * The log side of one stage attempt: the stage's output goes through the
 * parser to the attempt's log file and to `'log'` events, in the order the
 * stage printed it relative to its prompts, progress and annotations, masked,
 * and with the stage's pipes paused while the log writer is behind.
 */
export class AttemptOutput {
  private log: LogWriter | undefined;
  private closed = false;
  private held = false;
  private readonly recentLines = new RecentLines(DIAGNOSIS_LINES);

  constructor(private readonly deps: AttemptOutputDeps) {}

  /** Takes the attempt's opened log; output before this is not written anywhere. */
  attach(log: LogWriter): void {
    this.log = log;
  }

  /** Feeds a chunk of the stage's output. */
  push(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    this.handleItems(this.deps.parser.push(stream, chunk));
  }

  /** The stage's pipes closed: handles what the parser still held (an unfinished last line). */
  end(): void {
    this.handleItems(this.deps.parser.end());
  }

  /** Writes what is buffered and closes the log; later text (a late diagnosis) is dropped. */
  async close(): Promise<void> {
    this.closed = true;
    await this.log?.close().catch(() => undefined);
  }

  /** The last lines the stage printed, masked, for a hang diagnosis. */
  recentLinesMasked(): string[] {
    // The ring holds raw lines: they are masked only now, so a diagnosis never shows a secret.
    return this.recentLines.read((line) => this.deps.masker.maskText(line));
  }

  /** Masks `text`, appends it to the log and announces it in a `'log'` event. */
  writeLog(text: string): void {
    // A diagnosis can arrive after the log was closed, between the exit and its report.
    if (this.closed) return;
    const masked = this.deps.masker.maskText(text);
    this.append(masked, masked);
  }

  /**
   * Consecutive text goes to the log as one write and one 'log' event:
   * per-line events cost the engine and every listener a call per line when
   * a stage floods its output. Any other item ends the batch first, so text,
   * prompts and annotations keep their order.
   */
  private handleItems(items: readonly StageOutputItem[]): void {
    let batch: TextPiece[] = [];
    for (const item of items) {
      if (item.kind === 'text') {
        appendPiece(batch, item.text);
      } else if (item.kind === 'plain') {
        batch.push(item.bytes);
      } else {
        this.writeText(batch);
        batch = [];
        this.handleItem(item);
      }
    }
    this.writeText(batch);
  }

  private handleItem(item: Exclude<StageOutputItem, { kind: 'text' | 'plain' }>): void {
    const { deps } = this;
    switch (item.kind) {
      case 'progress':
        deps.onProgress(item.progress);
        return;
      case 'prompt':
        deps.onPrompt(item.prompt);
        return;
      case 'annotation':
        deps.emitter.emit('annotation', {
          runId: deps.runId,
          stage: deps.stage,
          attempt: deps.attempt,
          annotation: deps.masker.maskValue(item.annotation),
        });
        return;
      case 'mask':
        deps.masker.add(item.value);
        deps.parser.addMask(item.value);
        return;
      default: {
        const never: never = item;
        throw new Error(`unknown output item ${JSON.stringify(never)}`);
      }
    }
  }

  /**
   * Writes a batch, masked as one text. Unless masking changed it, the
   * pieces reach the log file as they are: plain runs as the bytes the stage
   * printed, decoded only once, for the event.
   */
  private writeText(batch: readonly TextPiece[]): void {
    if (batch.length === 0 || this.closed) return;
    // Concatenation, not join: V8 links the pieces instead of copying them.
    let text = '';
    for (const piece of batch) text += typeof piece === 'string' ? piece : piece.toString('utf8');
    if (text === '') return;
    this.recentLines.record(text);
    const masked = this.deps.masker.maskText(text);
    if (masked === text) this.append(batch, text);
    else this.append(masked, masked);
  }

  /** Appends `content` (the log's bytes, as text or pieces) and emits `text`, its decoded form. */
  private append(content: string | readonly TextPiece[], text: string): void {
    const log = this.log;
    if (log !== undefined) {
      let keepUp = true;
      if (typeof content === 'string') keepUp = log.write(content);
      else for (const piece of content) keepUp = log.write(piece) && keepUp;
      if (!keepUp) this.holdOutputUntilDrained(log);
    }
    const { runId, stage, attempt } = this.deps;
    this.deps.emitter.emit('log', { runId, stage, attempt, text });
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

/** Adds text to a batch, joining it to text just before (lines of the per-line path come one by one). */
function appendPiece(batch: TextPiece[], text: string): void {
  const last = batch.length - 1;
  const previous = batch[last];
  if (typeof previous === 'string') batch[last] = previous + text;
  else batch.push(text);
}
