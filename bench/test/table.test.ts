import * as assert from 'node:assert/strict';
import { renderLatencyChart } from '../src/chart';
import { ratioOf } from '../src/results';
import { formatFigure, formatMarkdownTable, formatTable } from '../src/table';

describe('bench report', () => {
  it('shows a figure as median with its range, and a single value alone', () => {
    assert.equal(formatFigure({ median: 12.345, min: 10, max: 130.2, n: 3 }), '12.3 (10.0–130)');
    assert.equal(formatFigure({ median: 0.5, min: 0.5, max: 0.5, n: 1 }), '0.50');
  });

  it('divides medians for the ratio and has none for a missing peer', () => {
    const baton = { median: 20, min: 10, max: 30, n: 3 };
    assert.equal(ratioOf(baton, { name: 'make', figure: { median: 4, min: 4, max: 4, n: 1 } }), 5);
    assert.equal(ratioOf(baton, { name: 'snakemake', missing: 'not installed' }), undefined);
  });

  it('prints missing peers and unmet targets plainly', () => {
    const text = formatTable([
      {
        key: 'stage_overhead_ms',
        unit: 'ms/stage',
        baton: { median: 20, min: 18, max: 25, n: 3 },
        peer: { name: 'snakemake', missing: 'not installed' },
        target: '≤ 0.2× snakemake',
        met: false,
      },
    ]);
    assert.match(text, /snakemake: missing/);
    assert.match(text, /\bNO\b/);
    assert.match(formatMarkdownTable([{ key: 'k', unit: 'ms', target: 'a | b' }]), /a \\\| b/);
  });

  it('draws one box per latency series with its p99 and target marks', () => {
    const svg = renderLatencyChart([
      {
        label: 'event <latency>',
        distribution: { count: 3, min: 0.5, p25: 1, p50: 2, p75: 3, p90: 4, p99: 9, max: 12 },
        targetMs: 10,
      },
    ]);
    assert.match(svg, /^<svg /);
    assert.equal((svg.match(/<rect x=/g) ?? []).length, 1);
    assert.match(svg, /event &lt;latency&gt;/);
    assert.match(svg, /p99 9\.00/);
    assert.match(svg, /stroke-dasharray/);
  });
});
