/**
 * `npm run bench`: runs Baton's benchmarks against its peers (GNU make,
 * Snakemake) and the machine's own limits, prints a table and optionally
 * writes JSON results and an SVG chart. See docs/benchmarks.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { renderLatencyChart } from './chart';
import { parseOptions, USAGE } from './options';
import { staleBundleProblem } from './paths';
import { ensurePeers, PEER_NAMES } from './peers';
import { runScenarios, selectScenarios } from './runner';
import { ALL_SCENARIOS } from './scenarios/index';
import { formatMarkdownTable, formatNotes, formatTable } from './table';

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function writeOutput(file: string, text: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, text);
  log(`wrote ${file}`);
}

async function main(argv: readonly string[]): Promise<number> {
  const options = parseOptions(argv);
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const scenarios = selectScenarios(ALL_SCENARIOS, options.only);
  const stale = staleBundleProblem();
  if (stale !== undefined) throw new Error(stale);
  const peers = ensurePeers(options.installPeers, log);
  for (const name of PEER_NAMES) log(`peer ${name}: ${peers.get(name) ?? 'missing'}`);
  const report = await runScenarios(scenarios, { quick: options.quick, peers, log });
  process.stdout.write(`${formatTable(report.rows)}\n`);
  log(`total ${(report.durationMs / 1000).toFixed(1)} s${options.quick ? ' (--quick)' : ''}`);
  if (options.json !== undefined) writeOutput(options.json, `${JSON.stringify(report, null, 2)}\n`);
  if (options.svg !== undefined) writeOutput(options.svg, renderLatencyChart(report.latencies));
  if (options.markdown !== undefined) {
    writeOutput(
      options.markdown,
      `${formatMarkdownTable(report.rows)}\n\n${formatNotes(report.rows)}\n`,
    );
  }
  return report.rows.some((row) => row.error !== undefined) ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    log(`bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  },
);
