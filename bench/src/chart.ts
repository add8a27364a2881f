import type { LatencySeries } from './results';
import { formatNumber } from './table';

const WIDTH = 880;
const LABEL_WIDTH = 300;
const RIGHT_MARGIN = 30;
const TOP = 48;
const ROW_HEIGHT = 38;
const AXIS_HEIGHT = 70;
const BOX_HEIGHT = 16;

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** A log-scale axis over whole decades covering every value. */
interface Axis {
  readonly lowDecade: number;
  readonly highDecade: number;
  x(value: number): number;
}

function makeAxis(series: readonly LatencySeries[]): Axis {
  const values = series.flatMap((s) => [s.distribution.min, s.distribution.max, s.targetMs ?? 1]);
  const positive = values.filter((v) => v > 0);
  const lowDecade = Math.floor(Math.log10(Math.min(...positive, 1)));
  const highDecade = Math.max(lowDecade + 1, Math.ceil(Math.log10(Math.max(...positive, 1))));
  const plotWidth = WIDTH - LABEL_WIDTH - RIGHT_MARGIN;
  const x = (value: number): number => {
    const clamped = Math.max(value, 10 ** lowDecade);
    const fraction = (Math.log10(clamped) - lowDecade) / (highDecade - lowDecade);
    return LABEL_WIDTH + fraction * plotWidth;
  };
  return { lowDecade, highDecade, x };
}

function axisMarks(axis: Axis, bottom: number): string[] {
  const marks: string[] = [];
  for (let decade = axis.lowDecade; decade <= axis.highDecade; decade++) {
    for (const step of decade === axis.highDecade ? [1] : [1, 2, 5]) {
      const value = step * 10 ** decade;
      const x = axis.x(value).toFixed(1);
      const strong = step === 1;
      marks.push(
        `<line x1="${x}" y1="${TOP - 8}" x2="${x}" y2="${bottom}" stroke="${strong ? '#bbb' : '#eee'}"/>`,
      );
      // Only whole decades are labelled: the 2s and 5s would crowd a wide range.
      if (strong) {
        marks.push(
          `<text x="${x}" y="${bottom + 16}" text-anchor="middle" class="tick">${formatNumber(value)}</text>`,
        );
      }
    }
  }
  return marks;
}

function seriesMarks(series: LatencySeries, axis: Axis, index: number): string[] {
  const d = series.distribution;
  const middle = TOP + index * ROW_HEIGHT + ROW_HEIGHT / 2;
  const top = middle - BOX_HEIGHT / 2;
  const f = (value: number): string => axis.x(value).toFixed(1);
  const [fill, edge] = series.peer === true ? ['#d9d9d9', '#636363'] : ['#9ecae1', '#08519c'];
  const marks = [
    `<text x="${LABEL_WIDTH - 10}" y="${middle + 4}" text-anchor="end" class="label">${escapeXml(series.label)}</text>`,
    `<line x1="${f(d.min)}" y1="${middle}" x2="${f(d.p99)}" y2="${middle}" stroke="#555"/>`,
    `<rect x="${f(d.p25)}" y="${top}" width="${Math.max(1, axis.x(d.p75) - axis.x(d.p25)).toFixed(1)}" height="${BOX_HEIGHT}" fill="${fill}" stroke="${edge}"/>`,
    `<line x1="${f(d.p50)}" y1="${top}" x2="${f(d.p50)}" y2="${top + BOX_HEIGHT}" stroke="${edge}" stroke-width="2"/>`,
    `<line x1="${f(d.p99)}" y1="${top + 2}" x2="${f(d.p99)}" y2="${top + BOX_HEIGHT - 2}" stroke="#555" stroke-width="2"/>`,
    `<circle cx="${f(d.max)}" cy="${middle}" r="2.5" fill="#555"/>`,
    `<text x="${f(d.p99)}" y="${top - 3}" text-anchor="middle" class="note">p99 ${formatNumber(d.p99)}</text>`,
  ];
  if (series.targetMs !== undefined) {
    const x = f(series.targetMs);
    marks.push(
      `<line x1="${x}" y1="${top - 4}" x2="${x}" y2="${top + BOX_HEIGHT + 4}" stroke="#d62728" stroke-width="2" stroke-dasharray="3,2"/>`,
    );
  }
  return marks;
}

/**
 * A horizontal box chart of latency distributions on a log scale: box p25–p75
 * with the median, whisker from min to p99, a dot at the max, and the p99
 * target as a dashed red mark. Plain SVG with no script or external font.
 */
export function renderLatencyChart(
  series: readonly LatencySeries[],
  title = 'Baton latencies (ms, log scale)',
): string {
  const bottom = TOP + Math.max(1, series.length) * ROW_HEIGHT;
  const height = bottom + AXIS_HEIGHT;
  const axis = makeAxis(series.length > 0 ? series : []);
  const legendY = bottom + 44;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">`,
    '<style>.label{font-size:12px;fill:#222}.tick{font-size:11px;fill:#555}.note{font-size:9px;fill:#555}.title{font-size:15px;font-weight:bold}</style>',
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" class="title">${escapeXml(title)}</text>`,
    ...(series.length > 0 ? axisMarks(axis, bottom) : []),
    ...series.flatMap((s, index) => seriesMarks(s, axis, index)),
    `<text x="20" y="${legendY}" class="tick">blue: Baton, grey: peer; box: p25–p75, bar: median, whisker: min–p99, dot: max, red dashes: p99 target</text>`,
    '</svg>',
  ];
  return `${parts.join('\n')}\n`;
}
