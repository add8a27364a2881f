import type { Writable } from 'node:stream';

/** Which lane a frame takes: answers (and requests to the client) go before waiting notifications. */
export type FramePriority = 'answer' | 'notification';

interface Queued {
  readonly frame: Buffer;
  readonly written: () => void;
}

/**
 * Writes frames to the output stream in two lanes. Answers and requests go
 * straight to the stream. Notifications go straight too while the stream
 * takes more (below its high-water mark), and otherwise wait in a queue that
 * moves on each time the stream drains: a response never waits behind a
 * backlog of notifications, while notifications keep their order among
 * themselves (their `seq`s never go down).
 */
export class FrameWriter {
  /** Waiting notifications from `head` on; the moved ones before it are cut off in batches. */
  private queue: Queued[] = [];
  private head = 0;
  private queuedBytes = 0;
  private waitingForDrain = false;

  constructor(
    private readonly output: Writable,
    private readonly isClosed: () => boolean,
  ) {}

  /** Writes a frame; the promise settles when the stream has handed it on. */
  write(frame: Buffer, priority: FramePriority): Promise<void> {
    if (this.isClosed() || this.output.destroyed || this.output.writableEnded) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      if (priority === 'notification' && (this.waiting() > 0 || this.output.writableNeedDrain)) {
        this.queue.push({ frame, written: resolve });
        this.queuedBytes += frame.length;
        this.moveOnDrain();
        return;
      }
      this.writeNow(frame, resolve);
    });
  }

  /** Bytes written but not yet taken by the peer: the stream's buffer and the waiting notifications. */
  backlog(): number {
    return this.output.writableLength + this.queuedBytes;
  }

  /**
   * Hands every waiting notification to the stream, full or not (the
   * connection is ending: what the client can still read, it gets).
   */
  release(): void {
    if (this.isClosed() || this.output.destroyed || this.output.writableEnded) return this.clear();
    const waiting = this.queue.slice(this.head);
    this.queue = [];
    this.head = 0;
    this.queuedBytes = 0;
    for (const queued of waiting) this.writeNow(queued.frame, queued.written);
  }

  /** Forgets the waiting notifications (the output is gone); their promises settle. */
  private clear(): void {
    const waiting = this.queue.slice(this.head);
    this.queue = [];
    this.head = 0;
    this.queuedBytes = 0;
    for (const queued of waiting) queued.written();
  }

  private waiting(): number {
    return this.queue.length - this.head;
  }

  private writeNow(frame: Buffer, written: () => void): void {
    this.output.write(frame, () => written());
  }

  private moveOnDrain(): void {
    if (this.waitingForDrain) return;
    this.waitingForDrain = true;
    this.output.once('drain', () => {
      this.waitingForDrain = false;
      this.moveQueued();
    });
  }

  /** Moves waiting notifications into the stream until it is full again or none wait. */
  private moveQueued(): void {
    if (this.isClosed() || this.output.destroyed) return this.clear();
    while (!this.output.writableNeedDrain) {
      const next = this.queue[this.head];
      if (next === undefined) break; // none wait
      this.head += 1;
      this.queuedBytes -= next.frame.length;
      this.writeNow(next.frame, next.written);
    }
    // Cutting the moved frames off once they are most of the array keeps each move O(1) on average.
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator,ArithmeticOperator,BlockStatement: when (or whether) the moved frames are cut off changes only the array's memory: every read starts at `head`.
    if (this.head > 64 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    if (this.waiting() > 0) this.moveOnDrain();
  }
}
