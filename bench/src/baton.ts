import { runChecked } from './processes';
import type { CommandResult } from './processes';
import { BATON_BIN } from './paths';

/** Arguments for `node server/bin/baton.js …`, with the state dir first (a global option). */
export function batonArgs(stateDir: string, args: readonly string[]): string[] {
  return [BATON_BIN, '--state-dir', stateDir, ...args];
}

/** Runs a pipeline file to its end with `baton run --yes --json`; fails unless it succeeds. */
export async function batonRun(
  file: string,
  stateDir: string,
  cwd: string,
  timeoutMs = 300_000,
): Promise<CommandResult & { readonly runId: string }> {
  const result = await runChecked(
    process.execPath,
    batonArgs(stateDir, ['run', file, '--yes', '--json']),
    { cwd, timeoutMs, keepChars: 1024 * 1024 },
  );
  const parsed = JSON.parse(result.stdout) as { runId?: unknown; status?: unknown };
  if (parsed.status !== 'succeeded' || typeof parsed.runId !== 'string') {
    throw new Error(`baton run ${file} ended ${String(parsed.status)}`);
  }
  return { ...result, runId: parsed.runId };
}

/** YAML for a chain of stages `s0 … s<count-1>`, each needing the previous one. */
export function chainPipelineYaml(name: string, count: number, run: string): string {
  const lines = [`name: ${name}`, 'stages:'];
  for (let index = 0; index < count; index++) {
    lines.push(`  s${index}:`, `    run: ${JSON.stringify(run)}`);
    if (index > 0) lines.push(`    needs: [s${index - 1}]`);
  }
  return `${lines.join('\n')}\n`;
}
