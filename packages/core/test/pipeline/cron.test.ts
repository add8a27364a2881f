import * as assert from 'node:assert/strict';
import { cronProblem, isTimeZone, nextCronTime } from '../../src/pipeline/cron';

const at = (iso: string): number => Date.parse(iso);

describe('cron', () => {
  it('accepts five fields, six fields and presets', () => {
    for (const cron of [
      '0 2 * * *',
      '*/5 * * * *',
      '30 0 2 * * 1-5',
      '@daily',
      '@hourly',
      '0 0 * * MON',
    ]) {
      assert.equal(cronProblem(cron), undefined, cron);
    }
  });

  it('rejects empty, short, out-of-range and impossible expressions with a reason', () => {
    assert.match(cronProblem('') ?? '', /empty/);
    assert.match(cronProblem('* * *') ?? '', /5 fields.*has 3/);
    assert.match(cronProblem('61 * * * *') ?? '', /61/);
    assert.match(cronProblem('0 0 30 2 *') ?? '', /day of month/);
    assert.match(cronProblem('a b c d e') ?? '', /.+/);
    assert.match(cronProblem('0 2 * * *', 'Mars/Olympus') ?? '', /time zone/);
  });

  it('computes the next firing strictly after the given time, in UTC by default', () => {
    assert.equal(nextCronTime('0 2 * * *', at('2026-01-01T00:00:00Z')), at('2026-01-01T02:00:00Z'));
    assert.equal(nextCronTime('0 2 * * *', at('2026-01-01T02:00:00Z')), at('2026-01-02T02:00:00Z'));
    assert.equal(
      nextCronTime('*/15 * * * *', at('2026-01-01T00:07:00Z')),
      at('2026-01-01T00:15:00Z'),
    );
  });

  it('reads the fields in the given time zone', () => {
    // 02:00 in Berlin in winter (UTC+1) is 01:00 UTC.
    assert.equal(
      nextCronTime('0 2 * * *', at('2026-01-01T00:00:00Z'), 'Europe/Berlin'),
      at('2026-01-01T01:00:00Z'),
    );
  });

  it('is deterministic for hashed H fields and undefined for invalid input', () => {
    const first = nextCronTime('H * * * *', 0);
    assert.notEqual(first, undefined);
    assert.equal(nextCronTime('H * * * *', 0), first);
    assert.equal(nextCronTime('nonsense', 0), undefined);
    assert.equal(nextCronTime('', 0), undefined);
    assert.equal(nextCronTime('0 2 * * *', Number.NaN), undefined);
    assert.equal(nextCronTime('0 2 * * *', 0, 'Nowhere/Nothing'), undefined);
  });

  it('knows real time zones', () => {
    assert.equal(isTimeZone('Europe/Berlin'), true);
    assert.equal(isTimeZone('UTC'), true);
    assert.equal(isTimeZone('Europe/Atlantis'), false);
    assert.equal(isTimeZone(''), false);
  });
});
