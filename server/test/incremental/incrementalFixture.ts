import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';

const BIN = path.resolve(__dirname, '..', '..', '..', 'bin', 'baton.js');

/** What a finished `baton` process printed. */
export interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts `baton` in `cwd` with a plain (non-TTY) view. */
export function startBaton(
  cwd: string,
  args: readonly string[],
): { child: ChildProcess; done: Promise<Finished> } {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<Finished>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done };
}

/** Runs `baton` to the end. */
export function baton(cwd: string, args: readonly string[]): Promise<Finished> {
  return startBaton(cwd, args).done;
}

/** One unit of a `--dry-run --json` plan. */
export interface PlanUnit {
  readonly unit: string;
  readonly action: string;
  readonly reason: string;
}

/** The plan `baton run <file> -n --json` prints, by stage id. */
export async function planOf(
  cwd: string,
  file: string,
  extra: readonly string[] = [],
): Promise<Record<string, PlanUnit>> {
  const result = await baton(cwd, ['run', file, '-n', '--json', ...extra]);
  if (result.code !== 0) throw new Error(`dry run failed: ${result.stdout}${result.stderr}`);
  const plan = JSON.parse(result.stdout) as { units: PlanUnit[] };
  return Object.fromEntries(plan.units.map((unit) => [unit.unit, unit]));
}

/** The stages that ran, in order, as each appended its id to `ran.log`. */
export function ranStages(dir: string): string[] {
  try {
    return readFileSync(path.join(dir, 'ran.log'), 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

/** Forgets which stages ran so far. */
export async function clearRan(dir: string): Promise<void> {
  await fs.rm(path.join(dir, 'ran.log'), { force: true });
}

/**
 * A literature-review-like chain: translate reads papers/*.txt and writes an
 * upper-cased copy; analyze counts its lines and reads an input; report
 * copies the count. Each stage appends its id to ran.log.
 */
export const CHAIN = `name: Lit
inputs:
  pillars: { type: text, default: all }
stages:
  translate:
    run: mkdir -p out && echo translate >> ran.log && cat papers/*.txt | tr a-z A-Z > out/translated.txt
    deps: [papers/*.txt]
    outputs: [out/translated.txt]
  analyze:
    needs: [translate]
    run: echo analyze >> ran.log && wc -l < out/translated.txt > out/count.txt && echo "count=$(cat out/count.txt)" >> "$BATON_OUTPUT"
    env: { PILLARS: "\${{ inputs.pillars }}" }
    outputs: [out/count.txt]
  report:
    needs: [analyze]
    run: echo report >> ran.log && echo "\${{ stages.analyze.outputs.count }} papers" > out/report.md
    outputs: [out/report.md]
`;

/** Writes the chain and two papers into `dir`. */
export async function writeChain(dir: string): Promise<string> {
  await fs.mkdir(path.join(dir, 'papers'), { recursive: true });
  await fs.writeFile(path.join(dir, 'papers', '01.txt'), 'alpha\n');
  await fs.writeFile(path.join(dir, 'papers', '02.txt'), 'beta\n');
  await fs.writeFile(path.join(dir, 'lit.pipeline.yaml'), CHAIN);
  return 'lit.pipeline.yaml';
}
