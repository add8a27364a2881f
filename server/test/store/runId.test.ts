import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { isRunId, newRunId, runIdTime } from '../../src/store/runId';

describe('run ids', () => {
  it('encode the UTC start time and four random characters', () => {
    const at = Date.UTC(2026, 10, 21, 11, 6, 16, 123);
    const id = newRunId(at, () => 0);
    assert.equal(id, '20261121-110616-123-0000');
    assert.equal(
      newRunId(at, () => 0.999999999),
      '20261121-110616-123-zzzz',
    );
    assert.ok(isRunId(id));
    assert.equal(runIdTime(id), at);
  });

  it('sort by start time as plain strings', () => {
    const time = fc.integer({ min: 0, max: Date.UTC(9999, 11, 31) });
    fc.assert(
      fc.property(time, time, fc.double({ min: 0, max: 1, maxExcluded: true }), (a, b, r) => {
        fc.pre(a !== b);
        const [early, late] = a < b ? [a, b] : [b, a];
        return newRunId(early, () => r) < newRunId(late, () => 1 - r - Number.EPSILON);
      }),
    );
  });

  it('rejects an invalid time and reads no time from a bad id', () => {
    assert.throws(() => newRunId(Number.NaN), RangeError);
    assert.equal(runIdTime('not-a-run'), undefined);
  });
});
