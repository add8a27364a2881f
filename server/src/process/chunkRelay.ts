/**
 * Relays the chunks of one output stream of a stage to a listener, holding
 * the chunks that arrive before the listener is registered. The stream is
 * read from the start, so a stage never blocks on a full pipe because nobody
 * listened yet.
 */
import type { Readable } from 'node:stream';

/** Delivers one stream's chunks; see the module comment. */
export class ChunkRelay {
  /** Settles when the stream has ended or closed (or there is no stream). */
  readonly closed: Promise<void>;
  private readonly early: Buffer[] = [];
  private listener: ((chunk: Buffer) => void) | undefined;

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
    this.stream?.pause();
  }

  /** Reads the stream again after `pause`. */
  resume(): void {
    this.stream?.resume();
  }

  /** Stops reading: used when the pipe stays open after the stage is over. */
  destroy(): void {
    this.stream?.destroy();
  }

  private deliver(chunk: Buffer): void {
    if (this.listener) this.listener(chunk);
    else this.early.push(chunk);
  }
}
