import * as assert from 'node:assert/strict';
import { ProgressLogGate } from '../../src/output/progressLogGate';

describe('ProgressLogGate', () => {
  it('logs a line per tenth of the way, not per tick', () => {
    const gate = new ProgressLogGate();
    const logged = [];
    for (let value = 0; value <= 1000; value += 1)
      if (gate.admit({ value, total: 1000, message: 'items' })) logged.push(value);
    assert.deepEqual(logged, [0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
  });

  it('logs whenever the message changes', () => {
    const gate = new ProgressLogGate();
    const admitted = [
      { percent: 1, message: 'download' },
      { percent: 2, message: 'download' },
      { percent: 3, message: 'unpack' },
      { percent: 4 },
    ].map((p) => gate.admit(p));
    assert.deepEqual(admitted, [true, false, true, true]);
  });

  it('logs the end even when it comes less than a tenth after the last line', () => {
    const gate = new ProgressLogGate();
    assert.equal(gate.admit({ percent: 95 }), true);
    assert.equal(gate.admit({ percent: 99 }), false);
    assert.equal(gate.admit({ percent: 100 }), true);
    assert.equal(gate.admit({ percent: 100 }), false);
  });
});
