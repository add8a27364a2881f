/**
 * Relays the chunks of one output stream of a stage to a listener, holding
 * the chunks that arrive before the listener is registered. The stream is
 * read from the start, so a stage never blocks on a full pipe because nobody
 * listened yet.
 *
 * Chunks are delivered as they are read until a turn of the event loop has
 * carried its share of a byte budget (512 KiB) that every relay of the process
 * shares: the budget split among the relays that delivered in the last turn.
 * Then the stream pauses until the next turn, so stages printing as fast as
 * they can cannot starve requests and timers waiting in the same loop,
 * however many of them there are (each still gets a chunk per turn: with
 * eight flooding stages a turn carries what it did with one chunk each).
 * The budget is per turn, not per chunk: pausing after every 64 KiB read cost
 * a stop and a restart of the pipe's reads and an extra turn per chunk, and
 * left a lone stage waiting on a full pipe while the loop went round.
 */
import type { Readable } from 'node:stream';

/** Bytes the relays of the process deliver in one turn of the event loop before they yield. */
export const DEFAULT_TURN_BUDGET_BYTES = 512 * 1024;

/** The bytes relays may deliver in one turn of the event loop, split among the relays given it. */
export class TurnBudget {
  /** Counts turns in which some relay delivered. */
  private turn = 0;
  /** Relays that delivered in this turn, and in the last one. */
  private relays = 0;
  private lastRelays = 1;
  private turnPending = false;
  private waiting: (() => void)[] = [];

  constructor(private readonly bytes: number) {}

  /** The current turn, to tell whether a relay has delivered in it yet. */
  get current(): number {
    return this.turn;
  }

  /** What one relay may deliver in this turn: the budget split among the relays delivering. */
  get share(): number {
    return this.bytes / Math.max(1, this.lastRelays, this.relays);
  }

  /** A relay delivers for the first time in this turn; returns the turn. */
  join(): number {
    this.relays += 1;
    this.scheduleTurnEnd();
    return this.turn;
  }

  /** Calls `resume` when the next turn begins, with the budget whole again. */
  nextTurn(resume: () => void): void {
    this.waiting.push(resume);
    this.scheduleTurnEnd();
  }

  private scheduleTurnEnd(): void {
    if (this.turnPending) return;
    this.turnPending = true;
    setImmediate(() => {
      this.turnPending = false;
      this.turn += 1;
      this.lastRelays = this.relays;
      this.relays = 0;
      const waiting = this.waiting;
      this.waiting = [];
      for (const resume of waiting) resume();
    });
  }
}

/** The budget every relay shares unless given another. */
const processBudget = new TurnBudget(DEFAULT_TURN_BUDGET_BYTES);

/** Options of a {@link ChunkRelay}; tests give relays a small budget of their own. */
export interface ChunkRelayOptions {
  readonly budget?: TurnBudget;
}

/** Delivers one stream's chunks; see the module comment. */
export class ChunkRelay {
  /** Settles when the stream has ended or closed (or there is no stream). */
  readonly closed: Promise<void>;
  private readonly early: Buffer[] = [];
  private listener: ((chunk: Buffer) => void) | undefined;
  private readonly budget: TurnBudget;
  /** The budget's turn in which this relay last delivered, and how much. */
  private turn = -1;
  private turnBytes = 0;
  /** Paused because the turn's budget is spent: the next turn resumes it. */
  private yielded = false;
  /** Paused by `pause` (backpressure): the next turn must not undo it. */
  private heldByCaller = false;

  constructor(
    private readonly stream: Readable | null,
    options: ChunkRelayOptions = {},
  ) {
    this.budget = options.budget ?? processBudget;
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
    if (this.turn !== this.budget.current) {
      this.turn = this.budget.join();
      this.turnBytes = 0;
    }
    this.turnBytes += bytes;
    if (this.turnBytes < this.budget.share || this.yielded) return;
    this.yielded = true;
    stream.pause();
    this.budget.nextTurn(() => this.endTurn());
  }

  /** A new turn: the budget is whole again, and a stream paused for it reads on unless the caller holds it. */
  private endTurn(): void {
    this.yielded = false;
    if (!this.heldByCaller) this.stream?.resume();
  }
}
