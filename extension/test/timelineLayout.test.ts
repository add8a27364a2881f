import * as assert from 'node:assert/strict';
import type { RunTimeline, TimelineUnit } from '@baton/protocol';
import { attemptLine, stageLogText } from '../src/model/stageLogText';
import { timeTicks, timelineLayout } from '../src/model/timelineLayout';

const T0 = 1_700_000_000_000;

function timeline(units: TimelineUnit[], ended?: number): RunTimeline {
  return {
    runId: 'r1',
    seq: 9,
    startedAt: T0,
    ...(ended === undefined ? {} : { endedAt: ended }),
    units,
  };
}

const flaky: TimelineUnit = {
  stage: 'flaky',
  status: 'succeeded',
  attempts: [
    {
      attempt: 1,
      phases: [{ kind: 'running', start: T0, end: T0 + 1000 }],
      ended: 'failed',
      exitCode: 1,
    },
    {
      attempt: 2,
      phases: [
        { kind: 'backoff', start: T0 + 1000, end: T0 + 3000 },
        { kind: 'queued', start: T0 + 3000, end: T0 + 3500 },
        { kind: 'running', start: T0 + 3500, end: T0 + 5000 },
      ],
      ended: 'succeeded',
      exitCode: 0,
    },
  ],
};

describe('Run timeline layout', () => {
  it('draws a retry as two bars on the stage row, phases in ms from the run start', () => {
    const view = timelineLayout(timeline([flaky], T0 + 6000), 'Story #3', T0 + 9000, new Set());
    assert.equal(view.now, undefined, 'no now-line once the run ended');
    assert.equal(view.span, 6000);
    const [row] = view.rows;
    assert.equal(row?.key, 'stage:r1/flaky');
    assert.deepEqual(
      row?.bars.map((bar) => [bar.key, bar.end]),
      [
        ['attempt:r1/flaky/1', 'failed'],
        ['attempt:r1/flaky/2', 'succeeded'],
      ],
    );
    assert.deepEqual(row?.bars[1]?.phases, [
      { kind: 'backoff', from: 1000, to: 3000 },
      { kind: 'queued', from: 3000, to: 3500 },
      { kind: 'running', from: 3500, to: 5000 },
    ]);
    assert.match(row?.bars[1]?.label ?? '', /retry backoff 2s, queued 500ms, running 1s/);
    assert.equal(row?.detail, 'succeeded · 2 attempts · 4s');
  });

  it('runs open phases to now, draws the now-line and the usual end of a running stage', () => {
    const running: TimelineUnit = {
      stage: 'train',
      status: 'running',
      expectedMs: 180_000,
      attempts: [
        {
          attempt: 1,
          phases: [
            { kind: 'pool', start: T0, end: T0 + 20_000 },
            { kind: 'running', start: T0 + 20_000 },
          ],
        },
      ],
    };
    const now = T0 + 100_000;
    const view = timelineLayout(timeline([running]), 'Train #1', now, new Set());
    assert.equal(view.now, 100_000);
    const bar = view.rows[0]?.bars[0];
    assert.equal(bar?.end, 'going');
    assert.equal(bar?.phases.at(-1)?.to, 100_000, 'the running phase reaches now');
    // Expected from the start of its first phase past the queue: the pool wait counts.
    assert.equal(bar?.expectedTo, 180_000);
    assert.equal(view.rows[0]?.detail, 'usually 3m 00s · about 1m left');
    assert.equal(view.span, 180_000, 'the axis reaches the usual end');
    assert.deepEqual(
      view.ticks.map((tick) => tick.label),
      ['0s', '30s', '1m 00s', '1m 30s', '2m 00s', '2m 30s', '3m 00s'],
    );
  });

  it('folds a fanned-out stage into one row with counts, and shows its items when expanded', () => {
    const units: TimelineUnit[] = [];
    for (let i = 0; i < 10_000; i++)
      units.push({
        stage: `sum[${i}]`,
        unitOf: 'sum',
        status: i === 7 ? 'failed' : 'succeeded',
        attempts: [
          {
            attempt: 1,
            phases: [{ kind: 'running', start: T0 + i, end: T0 + i + 10 }],
            ended: i === 7 ? 'failed' : 'succeeded',
          },
        ],
      });
    units.push({ stage: 'sum', status: 'failed', attempts: [] });
    const data = timeline(units, T0 + 20_000);
    const folded = timelineLayout(data, 'Big #1', T0 + 20_000, new Set());
    assert.equal(folded.rows.length, 1);
    assert.equal(folded.rows[0]?.kind, 'group');
    assert.equal(folded.rows[0]?.expanded, false);
    assert.equal(folded.rows[0]?.detail, '10000 items · 9999 succeeded · 1 failed');
    assert.deepEqual(folded.rows[0]?.bars[0]?.phases, [{ kind: 'running', from: 0, to: 10_009 }]);
    assert.equal(folded.rows[0]?.bars[0]?.end, 'failed');
    const open = timelineLayout(data, 'Big #1', T0 + 20_000, new Set(['sum']));
    assert.equal(open.rows.length, 10_001);
    assert.equal(open.rows[1]?.kind, 'unit');
    assert.equal(open.rows[1]?.label, '0', 'a unit row is named by its item');
    assert.equal(open.rows[8]?.bars[0]?.end, 'failed');
  });

  it('lists a stage that did not run without bars, and ticks stay about eight', () => {
    const view = timelineLayout(
      timeline(
        [{ stage: 'lint', status: 'succeeded', upToDate: true, settledAt: T0, attempts: [] }],
        T0 + 500,
      ),
      'Lint #2',
      T0 + 500,
      new Set(),
    );
    assert.equal(view.rows[0]?.detail, 'up to date');
    assert.equal(view.rows[0]?.bars.length, 0);
    assert.equal(view.span, 1000, 'at least a second');
    for (const span of [999, 45_000, 3_600_000, 86_400_000])
      assert.ok(timeTicks(span).length <= 9, `${span}: ${timeTicks(span).length} ticks`);
  });

  it('finds the rule of an attempt in a stage log, for Enter on its bar', () => {
    const text = stageLogText('Story #3 › flaky', [
      { attempt: 1, text: 'boom\n', offset: 0, size: 5 },
      { attempt: 2, text: 'ok\n', offset: 0, size: 3 },
    ]);
    assert.equal(attemptLine(text, 2), 5);
    assert.equal(attemptLine(text, 3), -1);
  });
});
