import { mkdirSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { batonArgs, batonRun } from '../baton';
import { runChecked } from '../processes';
import type { PeerFigure, ResultRow, ScenarioOutcome } from '../results';
import { ratioOf } from '../results';
import type { BenchContext, Scenario } from '../scenario';
import { repetitions } from '../scenario';
import type { Figure } from '../stats';
import { distribution, summarize } from '../stats';
import type { ProjectShape } from './incrementalProject';
import { touchOneFile, writeProject } from './incrementalProject';
import type { CheckTool, ResidentCheck } from './residentCheck';
import { nodeFloorTool, startResidentCheck } from './residentCheck';

const FILE = 'bench.pipeline.yaml';

/** One tool's three moves on its own copy of the project. */
interface Tool {
  readonly name: string;
  readonly dir: string;
  build(): Promise<number>;
  check(): Promise<number>;
}

function batonTool(dir: string): Tool {
  const state = path.join(dir, 'state');
  return {
    name: 'baton',
    dir,
    build: async () => (await batonRun(path.join(dir, FILE), state, dir, 900_000)).elapsedMs,
    check: async () =>
      (
        await runChecked(process.execPath, batonArgs(state, ['run', FILE, '-n', '--json']), {
          cwd: dir,
          keepChars: 4096,
        })
      ).elapsedMs,
  };
}

function makeTool(make: string, dir: string): Tool {
  return {
    name: 'make',
    dir,
    build: async () => (await runChecked(make, ['-s', 'all'], { cwd: dir })).elapsedMs,
    // `make -q` exits 0 only when everything is up to date, which is the case here.
    check: async () => (await runChecked(make, ['-q', 'all'], { cwd: dir })).elapsedMs,
  };
}

function snakemakeTool(snakemake: string, dir: string): Tool {
  const base = ['--cores', '1', '--quiet', '--snakefile', 'Snakefile'];
  return {
    name: 'snakemake',
    dir,
    build: async () =>
      (await runChecked(snakemake, base, { cwd: dir, timeoutMs: 900_000 })).elapsedMs,
    check: async () =>
      (await runChecked(snakemake, [...base, '-n'], { cwd: dir, timeoutMs: 900_000 })).elapsedMs,
  };
}

function toolsFor(context: BenchContext, shape: ProjectShape): Tool[] {
  const made = (name: string): string => {
    const dir = path.join(context.workDir, name);
    mkdirSync(dir, { recursive: true });
    writeProject(dir, shape);
    return dir;
  };
  const tools = [batonTool(made('baton'))];
  const make = context.peers.get('make');
  if (make !== undefined) tools.push(makeTool(make, made('make')));
  const snakemake = context.peers.get('snakemake');
  if (snakemake !== undefined) tools.push(snakemakeTool(snakemake, made('snakemake')));
  return tools;
}

/** Bytes of every file under `dir`. */
function bytesUnder(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? bytesUnder(full) : statSync(full).size;
  }
  return total;
}

function peerOf(name: string, times: ReadonlyMap<string, number[]>): PeerFigure {
  const values = times.get(name);
  return values === undefined || values.length === 0
    ? { name, missing: `${name} is not installed (scripts/install-bench-peers.sh)` }
    : { name, figure: summarize(values) };
}

function comparedRow(
  key: string,
  times: ReadonlyMap<string, number[]>,
  target: string,
  judge: (makeRatio: number | undefined, snakeRatio: number | undefined) => boolean | undefined,
  note: string,
): ResultRow {
  const baton: Figure = summarize(times.get('baton') ?? []);
  const make = peerOf('make', times);
  const snakemake = peerOf('snakemake', times);
  const makeRatio = ratioOf(baton, make);
  const snakeRatio = ratioOf(baton, snakemake);
  const met = judge(makeRatio, snakeRatio);
  const snakeNote =
    'figure' in snakemake
      ? `snakemake ${snakemake.figure.median.toFixed(0)} ms (${(snakeRatio ?? 0).toFixed(2)}×)`
      : 'snakemake missing';
  return {
    key,
    unit: 'ms',
    baton,
    peer: make,
    ...(makeRatio === undefined ? {} : { ratio: makeRatio }),
    ...(met === undefined ? {} : { met }),
    target,
    note: `${note}; ${snakeNote}`,
  };
}

async function measureTools<T extends { readonly name: string }>(
  context: BenchContext,
  tools: readonly T[],
  reps: number,
  move: (tool: T, rep: number) => Promise<number>,
): Promise<Map<string, number[]>> {
  const times = new Map<string, number[]>(tools.map((tool) => [tool.name, []]));
  for (let rep = 0; rep < reps; rep++) {
    // Interleaved, so drift on a shared machine hits every tool alike.
    for (const tool of tools) {
      const ms = await move(tool, rep);
      times.get(tool.name)?.push(ms);
      context.log(`${tool.name} rep ${rep + 1}/${reps}: ${ms.toFixed(0)} ms`);
    }
  }
  return times;
}

/** The same check through a warm `baton serve --stdio` (the editor's plan preview), against `make -q`. */
function residentRow(
  resident: ResidentCheck,
  times: ReadonlyMap<string, number[]>,
  size: string,
): ResultRow {
  const baton = summarize(resident.samples);
  const make = peerOf('make', times);
  const ratio = ratioOf(baton, make);
  const spread = distribution(resident.samples);
  const skipped = resident.allSkipped() ? 'every stage skipped' : 'NOT every stage skipped';
  return {
    key: 'uptodate_check_serve_ms',
    unit: 'ms',
    baton,
    peer: make,
    ...(ratio === undefined ? {} : { ratio, met: ratio <= 2 && resident.allSkipped() }),
    target: '≤ 2× make',
    note: `everything up to date, ${size}: baton/planRun round trip to a warm baton serve --stdio (the editor's plan preview), ${spread.count} round trips, p50 ${spread.p50.toFixed(1)} ms, p99 ${spread.p99.toFixed(1)} ms, ${skipped}; vs make -q`,
  };
}

/** `node -e 0` against `make -q`: the floor under the CLI row, which no fresh Node process goes below. */
function nodeFloorRow(times: ReadonlyMap<string, number[]>): ResultRow {
  const node = times.get('node -e 0') ?? [];
  const cli = times.get('baton') ?? [];
  const baton = summarize(node);
  const make = peerOf('make', times);
  const ratio = ratioOf(baton, make);
  const above =
    cli.length > 0
      ? `; the CLI's check is ${(summarize(cli).median - baton.median).toFixed(0)} ms above it`
      : '';
  return {
    key: 'node_start_ms',
    unit: 'ms',
    baton,
    peer: make,
    ...(ratio === undefined ? {} : { ratio }),
    target: 'none (a floor)',
    note: `node -e 0: Node's start-up alone, which every baton command pays before reading a file${above}`,
  };
}

/** Record bytes per stage after one run, and after `runs` further runs that each change one file. */
async function recordGrowth(context: BenchContext, runs: number): Promise<ResultRow> {
  const dir = path.join(context.workDir, 'growth');
  mkdirSync(dir, { recursive: true });
  const shape: ProjectShape = { chains: 2, length: 5, filesPerStage: 2 };
  writeProject(dir, shape);
  const state = path.join(dir, 'state');
  await batonRun(path.join(dir, FILE), state, dir);
  const stages = shape.chains * shape.length;
  const first = bytesUnder(path.join(state, 'cache'));
  for (let run = 0; run < runs; run++) {
    touchOneFile(dir, `growth ${run}`);
    await batonRun(path.join(dir, FILE), state, dir);
  }
  const after = bytesUnder(path.join(state, 'cache'));
  return {
    key: 'record_bytes_per_stage',
    unit: 'bytes/stage',
    baton: summarize([first / stages]),
    target: 'bounded',
    met: after <= first * 6,
    note: `${(first / stages).toFixed(0)} B/stage after 1 run, ${(after / stages).toFixed(0)} B/stage after ${runs} more runs that each change one file (5 entries kept per stage; every file under cache/ counted: snapshot, stat and listing caches)`,
  };
}

async function run(context: BenchContext): Promise<ScenarioOutcome> {
  const shape: ProjectShape = context.quick
    ? { chains: 30, length: 10, filesPerStage: 10 }
    : { chains: 100, length: 10, filesPerStage: 10 };
  const stages = shape.chains * shape.length;
  const files = stages * shape.filesPerStage;
  const tools = toolsFor(context, shape);
  for (const tool of tools) {
    const ms = await tool.build();
    context.log(`${tool.name}: first build of ${stages} stages in ${ms.toFixed(0)} ms`);
  }
  const reps = repetitions(context, 5, 3);
  const baton = tools[0] as Tool;
  const resident = await startResidentCheck(baton.dir, path.join(baton.dir, 'state'), FILE);
  let checks: Map<string, number[]>;
  try {
    // The CLI, make, Snakemake, Node's bare start and the warm server, interleaved.
    const checkers: CheckTool[] = [...tools, nodeFloorTool(), resident];
    checks = await measureTools(context, checkers, reps, (tool) => tool.check());
  } finally {
    await resident.close();
  }
  const reruns = await measureTools(context, tools, reps, async (tool, rep) => {
    touchOneFile(tool.dir, `rep ${rep}`);
    return tool.build();
  });
  const size = `${stages} stages, ${files} files`;
  return {
    rows: [
      comparedRow(
        'uptodate_check_ms',
        checks,
        '≤ 2× make, ≥ 10× faster than snakemake',
        (m, s) => (m === undefined ? undefined : m <= 2 && (s === undefined || s <= 0.1)),
        `everything up to date, ${size}: baton run --dry-run vs make -q vs snakemake -n`,
      ),
      residentRow(resident, checks, size),
      nodeFloorRow(checks),
      comparedRow(
        'incremental_rerun_ms',
        reruns,
        'faster than snakemake',
        (_m, s) => (s === undefined ? undefined : s < 1),
        `one data file changed, its chain of ${shape.length} stages runs, ${size}`,
      ),
      await recordGrowth(context, context.quick ? 20 : 100),
    ],
  };
}

/** Up-to-date checks and incremental reruns against make and Snakemake, and the record's size. */
export const incrementalScenario: Scenario = {
  key: 'incremental',
  title: 'incremental runs: up-to-date check, rerun after one change, record size',
  run,
};
