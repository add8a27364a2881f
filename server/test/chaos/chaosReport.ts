/**
 * Chaos suites gate themselves on `BATON_CHAOS` and report their figures: on
 * the console and merged into `out/chaos-report.json`, the numbers
 * docs/reliability.md quotes.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** Whether the chaos suites were asked for (`npm run test:chaos`). */
export const CHAOS_ENABLED = process.env.BATON_CHAOS === '1';

/**
 * `describe` under `npm run test:chaos`, `describe.skip` when a chaos file is
 * run by hand without it (`npm test` does not load these files at all: the
 * `ignore` in .mocharc.json keeps its pending count at zero).
 */
export const describeChaos: Mocha.SuiteFunction | Mocha.PendingSuiteFunction = CHAOS_ENABLED
  ? describe
  : describe.skip;

const REPORT_FILE = path.resolve(__dirname, '..', '..', 'chaos-report.json');

/** Prints `figures` under `name` and merges them into the report file. */
export async function reportFigures(name: string, figures: object): Promise<void> {
  console.log(`      ${name}: ${JSON.stringify(figures)}`);
  let report: Record<string, unknown> = {};
  try {
    report = JSON.parse(await fs.readFile(REPORT_FILE, 'utf8')) as Record<string, unknown>;
  } catch {
    // First figures of this checkout.
  }
  report[name] = { ...figures, at: new Date().toISOString() };
  await fs.writeFile(REPORT_FILE, `${JSON.stringify(report, null, 2)}\n`);
}

/** Progress lines when `BATON_CHAOS_VERBOSE` is set. */
export function chaosLog(line: string): void {
  if (process.env.BATON_CHAOS_VERBOSE) console.log(`        ${line}`);
}
