import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { batonRun, chainPipelineYaml } from '../baton';
import { runChecked } from '../processes';
import type { PeerFigure, ResultRow, ScenarioOutcome } from '../results';
import { ratioOf } from '../results';
import type { BenchContext, Scenario } from '../scenario';
import { repetitions } from '../scenario';
import { summarize } from '../stats';

/** Stages in the chain. */
const CHAIN_LENGTH = 200;

/** A Makefile whose targets form the chain; all phony, so every recipe runs. */
function makefile(count: number): string {
  const names = Array.from({ length: count }, (_, index) => `s${index}`);
  const lines = [`.PHONY: ${names.join(' ')}`];
  names.forEach((name, index) => {
    lines.push(`${name}:${index > 0 ? ` s${index - 1}` : ''}`, '\ttrue');
  });
  return `${lines.join('\n')}\n`;
}

/** A Snakefile of the chain. Snakemake insists that a rule creates its output, hence the `touch`. */
function snakefile(count: number): string {
  const lines = [`rule all:\n    input: "s${count - 1}.done"`];
  for (let index = 0; index < count; index++) {
    const input = index > 0 ? `\n    input: "s${index - 1}.done"` : '';
    lines.push(
      `rule s${index}:${input}\n    output: "s${index}.done"\n    shell: "true; touch {output}"`,
    );
  }
  return `${lines.join('\n')}\n`;
}

type Runner = (dir: string) => Promise<number>;

function batonRunner(count: number): Runner {
  return async (dir) => {
    const file = path.join(dir, 'chain.pipeline.yaml');
    writeFileSync(file, chainPipelineYaml('chain', count, 'true'));
    return (await batonRun(file, path.join(dir, 'state'), dir)).elapsedMs;
  };
}

function makeRunner(make: string, count: number): Runner {
  return async (dir) => {
    writeFileSync(path.join(dir, 'Makefile'), makefile(count));
    return (await runChecked(make, ['-s', '-j1', `s${count - 1}`], { cwd: dir })).elapsedMs;
  };
}

function snakemakeRunner(snakemake: string, count: number): Runner {
  return async (dir) => {
    writeFileSync(path.join(dir, 'Snakefile'), snakefile(count));
    const args = ['--cores', '1', '--quiet', '--snakefile', 'Snakefile'];
    return (await runChecked(snakemake, args, { cwd: dir, timeoutMs: 600_000 })).elapsedMs;
  };
}

/** Runs each tool once per repetition, interleaved so drift on a shared machine hits all alike. */
async function measure(
  context: BenchContext,
  runners: ReadonlyMap<string, Runner>,
  reps: number,
): Promise<Map<string, number[]>> {
  const times = new Map<string, number[]>([...runners.keys()].map((name) => [name, []]));
  for (let rep = 0; rep < reps; rep++) {
    for (const [name, runner] of runners) {
      const dir = path.join(context.workDir, `${name}-${rep}`);
      mkdirSync(dir, { recursive: true });
      const ms = await runner(dir);
      times.get(name)?.push(ms);
      rmSync(dir, { recursive: true, force: true });
      context.log(`${name} rep ${rep + 1}/${reps}: ${ms.toFixed(0)} ms`);
    }
  }
  return times;
}

function runnersFor(context: BenchContext, count: number): Map<string, Runner> {
  const runners = new Map<string, Runner>([['baton', batonRunner(count)]]);
  const make = context.peers.get('make');
  if (make !== undefined) runners.set('make', makeRunner(make, count));
  const snakemake = context.peers.get('snakemake');
  if (snakemake !== undefined) runners.set('snakemake', snakemakeRunner(snakemake, count));
  return runners;
}

function peerFigure(name: string, perStage: Map<string, number[]>): PeerFigure {
  const values = perStage.get(name);
  return values === undefined || values.length === 0
    ? { name, missing: `${name} is not installed (scripts/install-bench-peers.sh)` }
    : { name, figure: summarize(values) };
}

async function run(context: BenchContext): Promise<ScenarioOutcome> {
  const reps = repetitions(context, 5, 3);
  const totals = await measure(context, runnersFor(context, CHAIN_LENGTH), reps);
  const startups = await measure(context, runnersFor(context, 1), 1);
  const perStage = new Map(
    [...totals].map(([name, ms]) => [name, ms.map((t) => t / CHAIN_LENGTH)]),
  );
  const baton = summarize(perStage.get('baton') ?? []);
  const startupNote = [...startups]
    .map(([name, ms]) => `${name} ${(ms[0] ?? 0).toFixed(0)} ms`)
    .join(', ');
  const note = `wall time of the whole chain ÷ ${CHAIN_LENGTH}, start-up included; a one-stage chain takes ${startupNote}`;
  const make = peerFigure('make', perStage);
  const snakemake = peerFigure('snakemake', perStage);
  const makeRatio = ratioOf(baton, make);
  const snakeRatio = ratioOf(baton, snakemake);
  const rows: ResultRow[] = [
    {
      key: 'stage_overhead_ms',
      unit: 'ms/stage',
      baton,
      peer: make,
      ...(makeRatio === undefined ? {} : { ratio: makeRatio, met: makeRatio <= 2 }),
      target: '≤ 2× make',
      note,
    },
    {
      key: 'stage_overhead_ms',
      unit: 'ms/stage',
      baton,
      peer: snakemake,
      ...(snakeRatio === undefined ? {} : { ratio: snakeRatio, met: snakeRatio <= 0.2 }),
      target: '≤ 0.2× snakemake (5× faster)',
    },
  ];
  return { rows };
}

/** `stage_overhead_ms`: a chain of 200 no-op stages through `baton run`, make and snakemake. */
export const stageOverheadScenario: Scenario = {
  key: 'stage_overhead_ms',
  title: `a chain of ${CHAIN_LENGTH} no-op stages: baton run vs make vs snakemake`,
  run,
};
