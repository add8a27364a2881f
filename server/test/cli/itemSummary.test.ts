import * as assert from 'node:assert/strict';
import { summarizeItems } from '../../src/cli/itemCounts';

const zero = {
  waitingForPool: 0,
  pending: 0,
  ready: 0,
  running: 0,
  waiting: 0,
  retrying: 0,
  succeeded: 0,
  failed: 0,
  skipped: 0,
  cancelled: 0,
};

describe('item counts in the live view', () => {
  it('says done over total, then failures and running items, with the share finished', () => {
    const summary = summarizeItems({
      total: 2000,
      counts: { ...zero, succeeded: 812, failed: 3, running: 12, pending: 1173 },
    });
    assert.equal(summary.text, '812/2000 · 3 failed · 12 running');
    assert.equal(summary.percent, (100 * 815) / 2000);
    assert.equal(summary.live, true);
  });
});
