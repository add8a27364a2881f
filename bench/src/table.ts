import type { PeerFigure, ResultRow } from './results';
import type { Figure } from './stats';

/** A number with about three significant digits, without trailing noise. */
export function formatNumber(value: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 10) return value.toFixed(1);
  if (magnitude >= 1) return value.toFixed(2);
  return value.toPrecision(2);
}

/** `median (min–max)`, or the median alone for a single repetition or an exact figure. */
export function formatFigure(figure: Figure): string {
  const middle = formatNumber(figure.median);
  if (figure.n < 2 || figure.min === figure.max) return middle;
  return `${middle} (${formatNumber(figure.min)}–${formatNumber(figure.max)})`;
}

function formatPeer(peer: PeerFigure | undefined): string {
  if (peer === undefined) return '—';
  if ('missing' in peer) return `${peer.name}: missing`;
  return `${peer.name}: ${formatFigure(peer.figure)}`;
}

function formatMet(row: ResultRow): string {
  if (row.error !== undefined) return 'error';
  if (row.met === undefined) return '—';
  return row.met ? 'yes' : 'NO';
}

/** The cells of one row, in column order. */
export function rowCells(row: ResultRow): string[] {
  return [
    row.key,
    row.baton === undefined ? '—' : `${formatFigure(row.baton)} ${row.unit}`,
    formatPeer(row.peer),
    row.ratio === undefined ? '—' : `${formatNumber(row.ratio)}×`,
    row.target,
    formatMet(row),
  ];
}

/** The column headers of the results table. */
export const TABLE_HEADERS = ['scenario', 'Baton', 'peer', 'ratio', 'target', 'met?'];

/** The results as an aligned plain-text table, with notes and errors underneath. */
export function formatTable(rows: readonly ResultRow[]): string {
  const lines = [TABLE_HEADERS, ...rows.map(rowCells)];
  const widths = TABLE_HEADERS.map((_, column) =>
    Math.max(...lines.map((cells) => [...(cells[column] ?? '')].length)),
  );
  const render = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  const out = [render(TABLE_HEADERS), widths.map((w) => '-'.repeat(w)).join('  ')];
  out.push(...rows.map((row) => render(rowCells(row))));
  const remarks = formatNotes(rows);
  if (remarks.length > 0) out.push('', remarks);
  return out.join('\n');
}

/** The rows' notes and errors, one line each (`key: text`). */
export function formatNotes(rows: readonly ResultRow[]): string {
  return rows
    .flatMap((row) => [
      ...(row.error === undefined ? [] : [`- ${row.key}: error: ${row.error}`]),
      ...(row.note === undefined ? [] : [`- ${row.key}: ${row.note}`]),
    ])
    .join('\n');
}

/** The results as a Markdown table (for docs/benchmarks.md). */
export function formatMarkdownTable(rows: readonly ResultRow[]): string {
  const escape = (cell: string): string => cell.replace(/\|/g, '\\|');
  const out = [`| ${TABLE_HEADERS.join(' | ')} |`, `|${TABLE_HEADERS.map(() => '---').join('|')}|`];
  for (const row of rows) out.push(`| ${rowCells(row).map(escape).join(' | ')} |`);
  return out.join('\n');
}
