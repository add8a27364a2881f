/**
 * Relays the chunks of one output stream of a stage to a listener, holding
 * the chunks that arrive before the listener is registered. The stream is
 * read from the start, so a stage never blocks on a full pipe because nobody
 * listened yet.
 *
 * Chunks are delivered as they are read until a turn of the event loop has
 * carried a byte budget (1 MiB); then the stream pauses until the next turn,
 * so a stage printing as fast as it can cannot starve requests and timers
 * waiting in the same loop. The budget is per turn, not per chunk: pausing
 * after every 64 KiB read cost a stop and a restart of the pipe's reads and
 * an extra turn per chunk, and left the stage waiting on a full pipe while
 * the loop went round.
 */
import type { Readable } from 'node:stream';

/** Bytes one stream may deliver in one turn of the event loop before it yields. */
export const DEFAULT_TURN_BUDGET_BYTES = 1024 * 1024;

/** Options of a {@link ChunkRelay}; tests use a small budget. */
export interface ChunkRelayOptions {
  /** Bytes delivered in one turn after which the stream waits for the next turn. */
  readonly turnBudgetBytes?: number;
}

/** Delivers one stream's chunks; see the module comment. */
export class ChunkRelay {
  /** Settles when the stream has ended or closed (or there is no stream). */
  readonly closed: Promise<void>;
  private readonly early: Buffer[] = [];
  private listener: ((chunk: Buffer) => void) | undefined;
  private readonly turnBudget: number;
  /** Bytes delivered since the turn began. */
  private turnBytes = 0;
  /** The end of this turn is scheduled (it resets `turnBytes`). */
  private turnPending = false;
  /** Paused because the turn's budget is spent: the next turn resumes it. */
  private yielded = false;
  /** Paused by `pause` (backpressure): the next turn must not undo it. */
  private heldByCaller = false;

  constructor(
    private readonly stream: Readable | null,
    options: ChunkRelayOptions = {},
  ) {
    this.turnBudget = options.turnBudgetBytes ?? DEFAULT_TURN_BUDGET_BYTES;
    if (!stream) {
      this.closed = Promise.resolve();
      return;
    }
    stream.on('data', (chunk: Buffer) => this.deliver(chunk));
    // A read error (rare on pipes) ends the stream like a close does; it must not crash the engine.
    stream.on('error', () => undefined);
    this.closed = new Promise((resolve) => stream.once('close', () => resolve()));
  }

  /** Sets the listener and hands it what arrived so far. Only the last listener set receives chunks. */
  listen(listener: (chunk: Buffer) => void): void {
    this.listener = listener;
    const early = this.early.splice(0);
    for (const chunk of early) listener(chunk);
  }

  /**
   * Stops reading the stream until `resume`: the pipe fills and the stage's
   * writes block, so a stage printing faster than its log is written waits
   * instead of the engine holding its output.
   */
  pause(): void {
    this.heldByCaller = true;
    this.stream?.pause();
  }

  /** Reads the stream again after `pause` (from the next turn if this turn's budget is spent). */
  resume(): void {
    this.heldByCaller = false;
    if (!this.yielded) this.stream?.resume();
  }

  /** Stops reading: used when the pipe stays open after the stage is over. */
  destroy(): void {
    this.stream?.destroy();
  }

  private deliver(chunk: Buffer): void {
    if (this.listener) this.listener(chunk);
    else this.early.push(chunk);
    this.count(chunk.length);
  }

  /** Counts bytes against the turn's budget, pausing the stream once it is spent. */
  private count(bytes: number): void {
    const stream = this.stream;
    if (!stream) return;
    this.turnBytes += bytes;
    if (!this.turnPending) {
      this.turnPending = true;
      setImmediate(() => this.endTurn());
    }
    if (this.turnBytes >= this.turnBudget && !this.yielded) {
      this.yielded = true;
      stream.pause();
    }
  }

  /** A new turn: the budget is whole again, and a stream paused for it reads on unless the caller holds it. */
  private endTurn(): void {
    this.turnPending = false;
    this.turnBytes = 0;
    if (!this.yielded) return;
    this.yielded = false;
    if (!this.heldByCaller) this.stream?.resume();
  }
}
