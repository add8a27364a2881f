import * as assert from 'node:assert/strict';
import { CronExpressionParser } from 'cron-parser';
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

  it('fires each preset, in any case, when its cron line would (@midnight is @daily)', () => {
    const start = at('2026-01-01T10:30:00Z');
    const presets: [string, string][] = [
      ['@yearly', '2027-01-01T00:00:00Z'],
      ['@annually', '2027-01-01T00:00:00Z'],
      ['@monthly', '2026-02-01T00:00:00Z'],
      ['@weekly', '2026-01-04T00:00:00Z'],
      ['@daily', '2026-01-02T00:00:00Z'],
      ['@midnight', '2026-01-02T00:00:00Z'],
      ['@hourly', '2026-01-01T11:00:00Z'],
      ['@minutely', '2026-01-01T10:31:00Z'],
      ['@secondly', '2026-01-01T10:30:01Z'],
      ['@weekdays', '2026-01-02T00:00:00Z'],
      ['@weekends', '2026-01-03T00:00:00Z'],
      ['@MIDNIGHT', '2026-01-02T00:00:00Z'],
      [' @Hourly ', '2026-01-01T11:00:00Z'],
    ];
    for (const [preset, next] of presets) {
      assert.equal(cronProblem(preset), undefined, preset);
      assert.equal(nextCronTime(preset, start), at(next), preset);
    }
    assert.match(cronProblem('@fortnightly') ?? '', /has 1$/);
  });

  it('counts fields between any run of spaces, and reads the expression without the spaces around it', () => {
    assert.equal(cronProblem(' 0  2\t* * * '), undefined);
    assert.equal(
      nextCronTime(' 0  2\t* * * ', at('2026-01-01T00:00:00Z')),
      at('2026-01-01T02:00:00Z'),
    );
    assert.equal(
      cronProblem('* * * * * * *'),
      'a cron expression has 5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first; this one has 7',
    );
    assert.match(cronProblem('* * * *') ?? '', /this one has 4$/);
    assert.equal(
      cronProblem('0 2 * * *', 'Europe/Atlantis'),
      '"Europe/Atlantis" is not a known time zone',
    );
    assert.equal(cronProblem('   '), 'the cron expression is empty');
    // A value that is not text (validation reads YAML, which may hold anything) is empty, not a crash.
    assert.equal(cronProblem(5 as unknown as string), 'the cron expression is empty');
    assert.equal(nextCronTime('0 2 * * *', Number.POSITIVE_INFINITY), undefined);
  });

  it('hashes H fields with the expression itself as the seed', () => {
    for (const cron of ['H * * * *', 'H H * * *', 'H H(0-5) * * 1-5']) {
      const library = CronExpressionParser.parse(cron, {
        currentDate: 0,
        tz: 'UTC',
        hashSeed: cron,
      });
      assert.equal(nextCronTime(cron, 0), library.next().getTime(), cron);
    }
  });

  it('reads fields in UTC when no time zone is given, whatever the machine says', () => {
    const before = process.env['TZ'];
    process.env['TZ'] = 'America/New_York';
    try {
      assert.equal(
        nextCronTime('0 2 * * *', at('2026-01-01T00:00:00Z')),
        at('2026-01-01T02:00:00Z'),
      );
    } finally {
      if (before === undefined) delete process.env['TZ'];
      else process.env['TZ'] = before;
    }
  });

  it('refuses blank and padded time zone names', () => {
    for (const name of [' ', 'UTC ', ' Europe/Berlin']) assert.equal(isTimeZone(name), false, name);
  });
});
