import assert from 'node:assert/strict';
import { ProgressThrottle } from '../../src/output/progressThrottle';
import type { ThrottleScheduler } from '../../src/output/progressThrottle';

/** A simulated clock whose timers fire when the test advances time. */
class FakeScheduler implements ThrottleScheduler {
  time = 0;
  private timers: { at: number; callback: () => void; id: number }[] = [];
  private nextId = 0;
  now(): number {
    return this.time;
  }
  setTimer(callback: () => void, delayMs: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.time + delayMs, callback, id });
    return id;
  }
  clearTimer(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  }
  get pendingTimers(): number {
    return this.timers.length;
  }
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = this.timers.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.time = due.at;
      due.callback();
    }
    this.time = until;
  }
}

describe('ProgressThrottle', () => {
  function setUp() {
    const scheduler = new FakeScheduler();
    const delivered: [number, number][] = [];
    const throttle = new ProgressThrottle<number>(
      (value) => delivered.push([scheduler.time, value]),
      {
        intervalMs: 100,
        scheduler,
      },
    );
    return { scheduler, delivered, throttle };
  }

  it('delivers the first value at once and the last value of a burst at the end of the interval', () => {
    const { scheduler, delivered, throttle } = setUp();
    throttle.push(1);
    scheduler.advance(10);
    throttle.push(2);
    throttle.push(3);
    assert.deepEqual(delivered, [[0, 1]]);
    scheduler.advance(90);
    assert.deepEqual(delivered, [
      [0, 1],
      [100, 3],
    ]);
  });

  it('never delivers more than one value per interval under a constant stream', () => {
    const { scheduler, delivered, throttle } = setUp();
    for (let i = 0; i < 1000; i++) {
      throttle.push(i);
      scheduler.advance(1);
    }
    scheduler.advance(200);
    assert.equal(delivered.length, 11);
    assert.deepEqual(delivered.at(-1), [1000, 999]);
    for (let i = 1; i < delivered.length; i++) {
      assert.ok((delivered[i]?.[0] ?? 0) - (delivered[i - 1]?.[0] ?? 0) >= 100);
    }
  });

  it('delivers at once again after a quiet interval', () => {
    const { scheduler, delivered, throttle } = setUp();
    throttle.push(1);
    scheduler.advance(500);
    throttle.push(2);
    assert.deepEqual(delivered, [
      [0, 1],
      [500, 2],
    ]);
    assert.equal(scheduler.pendingTimers, 0);
  });

  it('flush delivers the pending value now; dispose drops it', () => {
    const { scheduler, delivered, throttle } = setUp();
    throttle.push(1);
    throttle.push(2);
    throttle.flush();
    assert.deepEqual(delivered, [
      [0, 1],
      [0, 2],
    ]);
    assert.equal(scheduler.pendingTimers, 0);
    throttle.push(3);
    throttle.dispose();
    scheduler.advance(1000);
    assert.equal(delivered.length, 2);
  });
});
