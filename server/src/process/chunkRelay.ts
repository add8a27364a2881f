/**
 * Relays the chunks of one output stream of a stage to a listener, holding
 * the chunks that arrive before the listener is registered. The stream is
 * read from the start, so a stage never blocks on a full pipe because nobody
 * listened yet.
 *
 * At most one chunk is delivered per event-loop turn: after each chunk the
 * stream pauses until the next turn, so a stage printing as fast as it can
 * cannot starve requests and timers waiting in the same loop.
 */
import type { Readable } from 'node:stream';

/** Delivers one stream's chunks; see the module comment. */
export class ChunkRelay {
  /** Settles when the stream has ended or closed (or there is no stream). */
  readonly closed: Promise<void>;
  private readonly early: Buffer[] = [];
  private listener: ((chunk: Buffer) => void) | undefined;
  /** Paused by `pause` (backpressure): the per-turn resume must not undo it. */
  private heldByCaller = false;
  /** A resume is scheduled for the next turn. */
  private turnPending = false;

  constructor(private readonly stream: Readable | null) {
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

  /** Reads the stream again after `pause` (from the next turn if a chunk was just delivered). */
  resume(): void {
    this.heldByCaller = false;
    if (!this.turnPending) this.stream?.resume();
  }

  /** Stops reading: used when the pipe stays open after the stage is over. */
  destroy(): void {
    this.stream?.destroy();
  }

  private deliver(chunk: Buffer): void {
    if (this.listener) this.listener(chunk);
    else this.early.push(chunk);
    this.yieldTurn();
  }

  /** Pauses the stream until the next turn of the event loop, unless the caller holds it longer. */
  private yieldTurn(): void {
    const stream = this.stream;
    if (!stream) return;
    stream.pause();
    if (this.turnPending) return;
    this.turnPending = true;
    setImmediate(() => {
      this.turnPending = false;
      if (!this.heldByCaller) stream.resume();
    });
  }
}
