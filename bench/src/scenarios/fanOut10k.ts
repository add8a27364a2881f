import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { batonArgs } from '../baton';
import { runChecked } from '../processes';
import type { PeerFigure, ResultRow, ScenarioOutcome } from '../results';
import { ratioOf } from '../results';
import type { BenchContext, Scenario } from '../scenario';
import { repetitions } from '../scenario';
import { summarize } from '../stats';
import { FULL_ITEMS, QUICK_ITEMS, fanOutPipelineYaml, writeItems } from './fanOutProject';
import { FLOORS } from './fanOutFloors';
import type { Floor } from './fanOutFloors';

/** One phony target per file, run by `make -j2`. */
function makefile(count: number): string {
  const names = Array.from({ length: count }, (_, index) => `i${index}`);
  const lines = [`.PHONY: all ${names.join(' ')}`, `all: ${names.join(' ')}`];
  for (const name of names) lines.push(`${name}:`, '\ttrue');
  return `${lines.join('\n')}\n`;
}

/** One wildcard rule over the files, run by `snakemake --cores 2`; Snakemake wants outputs. */
function snakefile(): string {
  return [
    'ITEMS = glob_wildcards("items/{name}.txt").name',
    'rule all:\n    input: expand("done/{name}", name=ITEMS)',
    'rule each:\n    input: "items/{name}.txt"\n    output: "done/{name}"\n    shell: "true; touch {output}"',
    '',
  ].join('\n');
}

type Runner = (dir: string) => Promise<number>;

function runnersFor(context: BenchContext, count: number): Map<string, Runner> {
  const runners = new Map<string, Runner>([
    [
      'baton',
      async (dir) => {
        const file = path.join(dir, 'fan.pipeline.yaml');
        writeFileSync(file, fanOutPipelineYaml());
        // Not `--json`: its report of 10,000 units is more than the runner keeps of stdout.
        const args = batonArgs(path.join(dir, 'state'), ['run', file, '--yes']);
        return (await runChecked(process.execPath, args, { cwd: dir, timeoutMs: 1_800_000 }))
          .elapsedMs;
      },
    ],
  ]);
  const make = context.peers.get('make');
  if (make !== undefined) {
    runners.set('make', async (dir) => {
      writeFileSync(path.join(dir, 'Makefile'), makefile(count));
      return (await runChecked(make, ['-s', '-j2', 'all'], { cwd: dir })).elapsedMs;
    });
  }
  const snakemake = context.peers.get('snakemake');
  if (snakemake !== undefined) {
    runners.set('snakemake', async (dir) => {
      writeFileSync(path.join(dir, 'Snakefile'), snakefile());
      const args = ['--cores', '2', '--quiet', '--snakefile', 'Snakefile'];
      return (await runChecked(snakemake, args, { cwd: dir, timeoutMs: 1_800_000 })).elapsedMs;
    });
  }
  for (const [name, floor] of FLOORS) runners.set(name, () => floor.run(count));
  return runners;
}

function peerFigure(name: string, times: Map<string, number[]>): PeerFigure {
  const values = times.get(name);
  return values === undefined || values.length === 0
    ? { name, missing: `${name} is not installed (scripts/install-bench-peers.sh)` }
    : { name, figure: summarize(values) };
}

/** A floor's row: its time against make's, as `node_start_ms` is for the up-to-date check. */
function floorRow(
  name: string,
  floor: Floor,
  times: Map<string, number[]>,
  count: number,
  failure: string | undefined,
): ResultRow {
  const { key, what } = floor;
  const values = times.get(name) ?? [];
  if (values.length === 0)
    return { key, unit: 'ms', target: 'none (a floor)', error: failure ?? 'did not run' };
  const figure = summarize(values);
  const make = peerFigure('make', times);
  const ratio = ratioOf(figure, make);
  return {
    key,
    unit: 'ms',
    baton: figure,
    peer: make,
    ...(ratio === undefined ? {} : { ratio }),
    target: 'none (a floor)',
    note: `${what}, ${count} items: no records, files, logs or gate`,
  };
}

async function run(context: BenchContext): Promise<ScenarioOutcome> {
  const count = context.quick ? QUICK_ITEMS : FULL_ITEMS;
  const reps = repetitions(context, 2, 1);
  const runners = runnersFor(context, count);
  const times = new Map<string, number[]>([...runners.keys()].map((name) => [name, []]));
  /** Why a floor could not run, by name. */
  const failures = new Map<string, string>();
  for (let rep = 0; rep < reps; rep++) {
    for (const [name, runner] of runners) {
      const dir = path.join(context.workDir, `${name}-${rep}`);
      writeItems(dir, count);
      const ms = await runner(dir).catch((error: unknown) => {
        // A floor that cannot run here (no perl) leaves its row empty; Baton and its peers must run.
        if (!FLOORS.has(name)) throw error;
        failures.set(name, error instanceof Error ? error.message.slice(0, 200) : String(error));
        return undefined;
      });
      rmSync(dir, { recursive: true, force: true });
      if (ms === undefined) continue;
      times.get(name)?.push(ms);
      context.log(`${name} rep ${rep + 1}/${reps}: ${ms.toFixed(0)} ms for ${count} items`);
    }
  }
  const baton = summarize(times.get('baton') ?? []);
  const note = `wall time of the whole run over ${count} files (${context.quick ? '--quick: fewer items' : 'full'}), concurrency 2, start-up included`;
  const rows: ResultRow[] = ['make', 'snakemake'].map((name, index) => {
    const peer = peerFigure(name, times);
    const ratio = ratioOf(baton, peer);
    return {
      key: 'fanout_10k_ms',
      unit: 'ms',
      baton,
      peer,
      ...(ratio === undefined || name !== 'make' ? {} : { ratio, met: ratio <= 2 }),
      ...(name === 'make' ? { target: '≤ 2× make -j2' } : { target: '—' }),
      ...(index === 0 ? { note } : {}),
    };
  });
  for (const [name, floor] of FLOORS)
    rows.push(floorRow(name, floor, times, count, failures.get(name)));
  return { rows };
}

/** `fanout_10k_ms`: a `foreach` over 10,000 files of no-op items, vs make -j2 and snakemake --cores 2. */
export const fanOut10kScenario: Scenario = {
  key: 'fanout_10k_ms',
  title: `a foreach over ${FULL_ITEMS} files of no-op items, concurrency 2: baton vs make -j2 vs snakemake`,
  run,
};
