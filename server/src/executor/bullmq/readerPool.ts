import type { Redis } from 'ioredis';

/**
 * Connections for blocking stream reads (XREAD BLOCK holds its connection, so
 * each following stage needs one of its own), kept once a stage is done with
 * one so the next stage reuses it instead of connecting afresh: a new
 * connection costs a TCP handshake and ioredis's ready check on every stage,
 * which profiling showed as a share of the remote per-stage overhead.
 * A connection goes back only when nothing is pending on it (its reader's
 * loop has returned) and it is ready; anything else is closed.
 */
export class ReaderPool {
  private readonly idle: Redis[] = [];
  private closed = false;

  /**
   * @param base the connection readers are duplicated from (same URL and options)
   * @param keep most idle readers kept; more are closed when handed back
   */
  constructor(
    private readonly base: Redis,
    private readonly keep = 16,
  ) {}

  /** An idle reader, or a new one when none is idle. */
  acquire(): Redis {
    const reused = this.idle.pop();
    if (reused !== undefined) return reused;
    const reader = this.base.duplicate();
    reader.on('error', () => undefined);
    return reader;
  }

  /** Hands a reader back; its caller must have no command pending on it. */
  release(reader: Redis): void {
    if (!this.closed && reader.status === 'ready' && this.idle.length < this.keep) {
      this.idle.push(reader);
    } else {
      reader.disconnect();
    }
  }

  /** Closes every idle reader; readers handed back later are closed too. */
  close(): void {
    this.closed = true;
    for (const reader of this.idle.splice(0)) reader.disconnect();
  }
}
