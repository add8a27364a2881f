/**
 * A pipeline whose stages are hard to end: grandchildren, a double fork, a
 * shell and children that ignore SIGTERM, a stage that closes its output at
 * once, and escapees into sessions of their own (one with an emptied
 * environment, so it no longer carries `BATON_RUN_ID`, when asked). Every long-lived
 * process runs a `sleep` reached through a symlink with a unique name, so the
 * test finds survivors by their command line whatever they did to their
 * environment.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { readdirSync, readFileSync } from 'node:fs';
import { processesOfRun } from './procfs';
import type { FoundProcess } from './procfs';

/** The tree pipeline's files and how to find its processes. */
export interface TreePipeline {
  readonly file: string;
  /** Unique text in the command line of every sleeper the stages start. */
  readonly marker: string;
  /** How many sleepers run once every stage is under way. */
  readonly sleepers: number;
}

/** Stage commands; `$S` is the marked sleeper. */
const STAGES: Readonly<Record<string, { run: string; sleepers: number }>> = {
  forker: { run: '"$S" 300 & ( "$S" 300 & ) ; "$S" 300 & wait', sleepers: 3 },
  stubborn: { run: 'trap \'\' TERM; "$S" 300 & "$S" 300', sleepers: 2 },
  closer: { run: 'exec >&- 2>&- <&-; "$S" 300', sleepers: 1 },
  escapee: { run: 'setsid "$S" 300 & "$S" 300', sleepers: 2 },
};

/** A stage whose escapee empties its environment, so it no longer carries `BATON_RUN_ID`. */
const SCRUBBED = { run: 'env -i setsid "$S" 300 & "$S" 300', sleepers: 2 };

/** Options of `writeTreePipeline`. */
export interface TreeOptions {
  /** YAML lines added to every stage (indented by four spaces). */
  readonly extra?: string;
  /** Add the stage whose escapee runs with an empty environment. */
  readonly scrubbed?: boolean;
}

/** Writes the pipeline into `dir`. */
export async function writeTreePipeline(
  dir: string,
  options: TreeOptions = {},
): Promise<TreePipeline> {
  const marker = `baton-tree-${randomBytes(4).toString('hex')}`;
  const sleeper = path.join(dir, marker);
  await fs.symlink('/bin/sleep', sleeper);
  const chosen = options.scrubbed === true ? { ...STAGES, scrubbed: SCRUBBED } : STAGES;
  const stages = Object.entries(chosen)
    .map(([id, { run }]) => `  ${id}:\n    run: ${JSON.stringify(run)}\n${options.extra ?? ''}`)
    .join('');
  const yaml = `name: trees\nconcurrency: 8\nenv: { S: ${JSON.stringify(sleeper)} }\nstages:\n${stages}`;
  const file = path.join(dir, 'trees.pipeline.yaml');
  await fs.writeFile(file, yaml);
  const sleepers = Object.values(chosen).reduce((sum, stage) => sum + stage.sleepers, 0);
  return { file, marker, sleepers };
}

/** Live processes whose command line holds `marker`. */
export function processesWithMarker(marker: string): FoundProcess[] {
  const found: FoundProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (command.includes(marker) && !/\) [ZX] /.test(stat))
        found.push({ pid: Number(entry), command });
    } catch {
      // Gone while we looked.
    }
  }
  return found;
}

/** Every live process of the run: by its environment or by the marker. */
export function survivors(runId: string, marker: string): FoundProcess[] {
  const byPid = new Map<number, FoundProcess>();
  for (const p of [...processesOfRun(runId), ...processesWithMarker(marker)]) byPid.set(p.pid, p);
  return [...byPid.values()];
}

/** Kills whatever a test left behind (only processes carrying the marker or the run id). */
export function killLeftovers(runId: string | undefined, marker: string): void {
  const found = runId === undefined ? processesWithMarker(marker) : survivors(runId, marker);
  for (const p of found) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
