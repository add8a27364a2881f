import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatDuration, parseDuration } from '../../src/pipeline/duration';

describe('durations', () => {
  it('parses every unit and combinations from largest to smallest', () => {
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('30s'), 30_000);
    assert.equal(parseDuration('5m'), 300_000);
    assert.equal(parseDuration('1h'), 3_600_000);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('1m30s500ms'), 90_500);
    assert.equal(parseDuration('1.5s'), 1_500);
    assert.equal(parseDuration(' 2s '), 2_000);
    assert.equal(parseDuration('0s'), 0);
  });

  it('rejects bare numbers, unknown units, wrong order and repeats', () => {
    for (const bad of [
      '',
      '30',
      's',
      '5 m',
      '5min',
      '1d',
      '30m1h',
      '1h1h',
      '-5s',
      '.5s',
      '5ms3s',
      'abc',
    ]) {
      assert.equal(parseDuration(bad), undefined, bad);
    }
  });

  it('formats exactly, so formatting parses back to the same value', () => {
    assert.equal(formatDuration(0), '0ms');
    assert.equal(formatDuration(500), '500ms');
    assert.equal(formatDuration(90_000), '1m30s');
    assert.equal(formatDuration(5_400_000), '1h30m');
    assert.equal(formatDuration(1_500), '1s500ms');
    assert.equal(formatDuration(-3), '0ms');
    assert.equal(formatDuration(Number.NaN), '0ms');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 40 }),
        (ms) => parseDuration(formatDuration(ms)) === ms,
      ),
    );
  });

  it('reads fractions of every unit, rounded to the nearest millisecond', () => {
    assert.equal(parseDuration('1.5h'), 5_400_000);
    assert.equal(parseDuration('0.5m'), 30_000);
    assert.equal(parseDuration('1.0005s'), 1_001);
    assert.equal(parseDuration('1.0004s'), 1_000);
    assert.equal(parseDuration('2.5ms'), 3);
    assert.equal(parseDuration('1h0.5m1.25s'), 3_631_250);
  });

  it('reads at most 100 characters, and refuses values too large to count exactly', () => {
    assert.equal(parseDuration(`${'0'.repeat(98)}ms`), 0);
    assert.equal(parseDuration(`${'0'.repeat(99)}ms`), undefined);
    assert.equal(parseDuration(`${'9'.repeat(20)}h`), undefined);
    assert.equal(parseDuration('2501999h'), 9_007_196_400_000);
    assert.equal(parseDuration(5 as unknown as string), undefined);
  });

  it('formats fractions, negatives and infinities', () => {
    assert.equal(formatDuration(0.4), '0ms');
    assert.equal(formatDuration(0.6), '1ms');
    assert.equal(formatDuration(-90_000), '0ms');
    assert.equal(formatDuration(Number.POSITIVE_INFINITY), '0ms');
    assert.equal(formatDuration(3_600_000), '1h');
    assert.equal(formatDuration(3_661_001), '1h1m1s1ms');
  });
});
