import type { Clock } from '../../src/engine/clock';

/** A clock that only moves when the test says so; due callbacks run in time order. */
export class ManualClock implements Clock {
  private time: number;
  private readonly pending: { at: number; callback: () => void; id: number }[] = [];
  private nextId = 0;

  constructor(start = 1_700_000_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  schedule(delayMs: number, callback: () => void): () => void {
    const id = this.nextId++;
    this.pending.push({ at: this.time + Math.max(0, delayMs), callback, id });
    return () => {
      const index = this.pending.findIndex((entry) => entry.id === id);
      if (index >= 0) this.pending.splice(index, 1);
    };
  }

  /** Moves time forward by `ms`, running every callback that falls due on the way. */
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      this.pending.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.pending[0];
      if (!next || next.at > target) break;
      this.pending.shift();
      this.time = next.at;
      next.callback();
    }
    this.time = target;
  }

  /** How many callbacks are waiting. */
  get scheduled(): number {
    return this.pending.length;
  }
}
