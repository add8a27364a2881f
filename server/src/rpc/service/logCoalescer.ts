import type * as P from '@baton/protocol';
import type { SizedText } from '../../engine/logBatch';
import { LiveLogBudget, liveLogLimits, type LiveLogLimits } from './liveLogBudget';
import { DEFAULT_MESSAGE_PACING, MessagePacer, type MessagePacing } from './messagePacer';
import { PendingLog } from './pendingLog';

/** Text held per stage at most (UTF-8 bytes), whatever budget the client chose: memory stays bounded. */
const MAX_HELD_BYTES = 4 * 1024 * 1024;
/** While more than this waits in the output pipe, log text is held back: answers never queue behind much log. */
export const MAX_BACKLOG_BYTES = 256 * 1024;

/** What the coalescer needs from the connection. */
export interface LogSink {
  send(params: Omit<P.DidAppendLogParams, 'seq'>): void;
  /** Bytes the client has not read yet. */
  backlog(): number;
}

/** Options of a {@link LogCoalescer}; tests change the pacing and the budget. */
export interface LogCoalescerOptions {
  readonly pacing?: MessagePacing;
  readonly limits?: LiveLogLimits;
  readonly now?: () => number;
}

/**
 * Gathers stage output per run, stage and attempt and sends what came in one
 * turn of the event loop as one `baton/didAppendLog` per stage, on the next
 * turn. A {@link MessagePacer} bounds how many messages that makes: sparse
 * output (a line now and then) goes out at once, while sustained output
 * spends the pacer's allowance and is then sent at most once per interval
 * (~50 ms), never one message per line. Each message carries the byte
 * offset of its text in the attempt's log.
 *
 * Live log is a preview, capped by a {@link LiveLogBudget}: when stages
 * print more than it allows, each send carries only the newest text of each
 * stage, and its offset jumps over what was skipped; the client reads that
 * gap with `baton/getLog` if it wants it. Held text is bounded per stage, and
 * nothing is sent while the client is behind on reading, so memory stays
 * bounded whatever the stages print and answers never wait behind a flood.
 */
export class LogCoalescer {
  private readonly pending = new Map<string, PendingLog>();
  /** Where the next text of each stage attempt starts in its log. */
  private readonly offsets = new Map<string, number>();
  private readonly budget: LiveLogBudget;
  private readonly pacer: MessagePacer;
  private readonly intervalMs: number;
  private readonly now: () => number;
  /** Text held per stage (bytes): more than a send can carry is never kept, nor above 4 MiB. */
  private readonly maxHeldBytes: number;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  /** The entry of the latest append: output comes in runs of lines from the same stage. */
  private last: PendingLog | undefined;

  constructor(
    private readonly sink: LogSink,
    options: LogCoalescerOptions = {},
  ) {
    const pacing = options.pacing ?? DEFAULT_MESSAGE_PACING;
    this.intervalMs = pacing.intervalMs;
    this.now = options.now ?? (() => performance.now());
    this.pacer = new MessagePacer(pacing, this.now);
    const limits = options.limits ?? liveLogLimits();
    this.budget = new LiveLogBudget(limits, this.now);
    this.maxHeldBytes = Math.min(MAX_HELD_BYTES, Math.max(limits.burstBytes, limits.minShareBytes));
  }

  /**
   * Queues output of a stage attempt: a string, or text that knows its size
   * in bytes (an engine log batch, decoded only if it is sent). `fileOffset`,
   * when known, is where the text starts in the attempt's log (output tailed from a file part-way).
   */
  append(
    runId: string,
    stage: string,
    attempt: number,
    text: string | SizedText,
    fileOffset?: number,
  ): void {
    const sized =
      typeof text === 'string' ? { text, bytes: Buffer.byteLength(text, 'utf8') } : text;
    if (sized.bytes === 0) return;
    const entry = this.entryFor(runId, stage, attempt, fileOffset);
    entry.add(sized);
    // Text older than what the next send can carry is dropped now rather than held until then:
    // under a flood, held chunks would live long enough to be promoted and cost major GCs.
    const keep = Math.min(this.maxHeldBytes, this.budget.affordable(this.intervalMs));
    if (entry.bytes > keep) entry.dropOldest(keep);
    this.schedule();
  }

  /**
   * Sends what the budget allows of everything pending now, whatever the
   * pacing, unless the client is behind (then it tries again later).
   */
  flush(): void {
    this.cancelScheduled();
    if (this.pending.size === 0) return;
    if (this.sink.backlog() >= MAX_BACKLOG_BYTES) {
      this.timer = setTimeout(() => this.flush(), this.intervalMs);
      return;
    }
    const entries = [...this.pending.values()];
    const shares = this.budget.shares(entries.map((entry) => entry.bytes));
    entries.forEach((entry, index) => this.flushOne(entry, shares[index] ?? 0));
    this.pacer.sent(entries.length);
  }

  /** Sends what can be sent and stops the timer. */
  dispose(): void {
    this.flush();
    this.cancelScheduled();
  }

  private entryFor(runId: string, stage: string, attempt: number, fileOffset?: number): PendingLog {
    const last = this.last;
    if (
      last?.runId === runId &&
      last.stage === stage &&
      last.attempt === attempt &&
      this.pending.get(last.key) === last
    ) {
      return last;
    }
    const key = `${runId}\n${stage}\n${attempt}`;
    let entry = this.pending.get(key);
    if (entry === undefined) {
      if (fileOffset !== undefined) this.offsets.set(key, fileOffset);
      entry = new PendingLog(key, runId, stage, attempt, this.offsets.get(key) ?? 0);
      this.pending.set(key, entry);
    }
    this.last = entry;
    return entry;
  }

  /**
   * Sends on the next turn, so that output of one turn goes out together,
   * or later when the pacer says so.
   */
  private schedule(): void {
    if (this.timer !== undefined || this.immediate !== undefined) return;
    const wait = this.pacer.delayFor(this.pending.size);
    if (wait <= 0) this.immediate = setImmediate(() => this.flushWhenDue());
    else this.timer = setTimeout(() => this.flushWhenDue(), wait);
  }

  /** Flushes if the pacer lets what is pending out now (more may have come since it was asked), else waits. */
  private flushWhenDue(): void {
    this.cancelScheduled();
    const wait = this.pacer.delayFor(this.pending.size);
    if (wait > 0) this.timer = setTimeout(() => this.flushWhenDue(), wait);
    else this.flush();
  }

  private cancelScheduled(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }

  /** Sends the newest `share` (about, in bytes) of an entry's text; the rest becomes a gap. */
  private flushOne(entry: PendingLog, share: number): void {
    this.pending.delete(entry.key);
    if (this.last === entry) this.last = undefined;
    const piece = entry.take(share);
    this.offsets.set(entry.key, piece.offset + piece.bytes);
    this.budget.spend(piece.bytes);
    const { runId, stage, attempt } = entry;
    this.sink.send({ runId, stage, attempt, text: piece.text, offset: piece.offset });
  }
}
