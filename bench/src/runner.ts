import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BenchReport, LatencySeries, ResultRow } from './results';
import type { Scenario } from './scenario';

/** What {@link runScenarios} needs besides the scenarios. */
export interface RunnerSettings {
  readonly quick: boolean;
  readonly peers: ReadonlyMap<string, string>;
  log(message: string): void;
}

function machine(loadAtStart: number): BenchReport['machine'] {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryMb: Math.round(os.totalmem() / 2 ** 20),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    loadAverage: { start: loadAtStart, end: os.loadavg()[0] ?? 0 },
  };
}

/** Picks scenarios by key; throws naming the unknown keys and the known ones. */
export function selectScenarios(all: readonly Scenario[], only: readonly string[]): Scenario[] {
  if (only.length === 0) return [...all];
  const known = new Set(all.map((scenario) => scenario.key));
  const unknown = only.filter((key) => !known.has(key));
  if (unknown.length > 0) {
    throw new Error(`unknown scenario ${unknown.join(', ')}; known: ${[...known].join(', ')}`);
  }
  return all.filter((scenario) => only.includes(scenario.key));
}

/**
 * Runs scenarios one after the other, each in a temp dir of its own that is
 * removed afterwards. A scenario that throws gives an error row: the others
 * still run.
 */
export async function runScenarios(
  scenarios: readonly Scenario[],
  settings: RunnerSettings,
): Promise<BenchReport> {
  const startedAt = new Date().toISOString();
  const loadAtStart = os.loadavg()[0] ?? 0;
  const started = performance.now();
  const rows: ResultRow[] = [];
  const latencies: LatencySeries[] = [];
  for (const scenario of scenarios) {
    const workDir = mkdtempSync(path.join(os.tmpdir(), `baton-bench-${scenario.key}-`));
    const scenarioStart = performance.now();
    settings.log(`▶ ${scenario.key}: ${scenario.title}`);
    try {
      const outcome = await scenario.run({
        quick: settings.quick,
        workDir,
        peers: settings.peers,
        log: (message) => settings.log(`  ${message}`),
      });
      rows.push(...outcome.rows);
      latencies.push(...(outcome.latencies ?? []));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      settings.log(`  failed: ${message}`);
      rows.push({ key: scenario.key, unit: '', target: '—', error: message });
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
    settings.log(`  (${((performance.now() - scenarioStart) / 1000).toFixed(1)} s)`);
  }
  return {
    startedAt,
    quick: settings.quick,
    machine: machine(loadAtStart),
    durationMs: performance.now() - started,
    rows,
    latencies,
  };
}
