import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { batonArgs } from '../baton';
import { startRemoteSetup } from '../benchRedis';
import { runChecked } from '../processes';
import type { ResultRow, ScenarioOutcome } from '../results';
import type { BenchContext, Scenario } from '../scenario';
import { repetitions } from '../scenario';
import { nodeCommand, writeStageScript } from '../stageScripts';
import { summarize } from '../stats';

/** The executor lines the two sides of each comparison use. */
const LOCAL = 'executor: local';
const REMOTE = 'executor: { type: bullmq, queue: bench }';

/** `baton run` of a pipeline with `header` on top; resolves to its wall time. */
async function timedRun(dir: string, url: string, header: string, body: string): Promise<number> {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'p.pipeline.yaml');
  writeFileSync(file, `${header}\n${body}`);
  const args = batonArgs(path.join(dir, 'state'), ['--redis', url, 'run', file, '--yes', '--json']);
  const result = await runChecked(process.execPath, args, { cwd: dir, timeoutMs: 600_000 });
  const parsed = JSON.parse(result.stdout) as { status?: unknown };
  if (parsed.status !== 'succeeded') throw new Error(`the run ended ${String(parsed.status)}`);
  return result.elapsedMs;
}

/** A chain of `count` no-op stages. */
function chain(count: number): string {
  const lines = ['stages:'];
  for (let index = 0; index < count; index++) {
    lines.push(`  s${index}:`, '    run: "true"');
    if (index > 0) lines.push(`    needs: [s${index - 1}]`);
  }
  return `${lines.join('\n')}\n`;
}

async function run(context: BenchContext): Promise<ScenarioOutcome> {
  const setup = await startRemoteSetup(context.workDir, 2);
  try {
    const reps = repetitions(context, 3, 1);
    const stages = context.quick ? 50 : 200;
    const megabytes = context.quick ? 20 : 100;
    const script = writeStageScript(context.workDir, 'bulk.js');
    const bulk = `stages:\n  bulk:\n    run: ${JSON.stringify(nodeCommand(script, [megabytes]))}\n`;
    const local: number[] = [];
    const remote: number[] = [];
    const localMbs: number[] = [];
    const remoteMbs: number[] = [];
    for (let rep = 0; rep < reps; rep++) {
      const at = (name: string): string => path.join(context.workDir, `${name}-${rep}`);
      // Interleaved, so drift on a shared machine hits both sides alike.
      local.push((await timedRun(at('local'), setup.url, LOCAL, chain(stages))) / stages);
      remote.push((await timedRun(at('remote'), setup.url, REMOTE, chain(stages))) / stages);
      localMbs.push(megabytes / ((await timedRun(at('lbulk'), setup.url, LOCAL, bulk)) / 1000));
      remoteMbs.push(megabytes / ((await timedRun(at('rbulk'), setup.url, REMOTE, bulk)) / 1000));
      context.log(
        `rep ${rep + 1}/${reps}: ${local.at(-1)?.toFixed(1)} vs ${remote.at(-1)?.toFixed(1)} ms/stage, ${localMbs.at(-1)?.toFixed(0)} vs ${remoteMbs.at(-1)?.toFixed(0)} MB/s`,
      );
    }
    return {
      rows: [overheadRow(remote, local, stages), throughputRow(remoteMbs, localMbs, megabytes)],
    };
  } finally {
    await setup.stop();
  }
}

function overheadRow(remote: number[], local: number[], stages: number): ResultRow {
  const baton = summarize(remote);
  const peer = summarize(local);
  const ratio = baton.median / peer.median;
  return {
    key: 'remote_stage_overhead_ms',
    unit: 'ms/stage',
    baton,
    peer: { name: 'local executor', figure: peer },
    ratio,
    met: ratio <= 3,
    target: '≤ 3× local',
    note: `a chain of ${stages} no-op stages on a bullmq queue served by 2 baton workers (real Redis on loopback) vs the same chain on the local executor; wall time of baton run ÷ ${stages}`,
  };
}

function throughputRow(remote: number[], local: number[], megabytes: number): ResultRow {
  const baton = summarize(remote);
  const peer = summarize(local);
  const ratio = baton.median / peer.median;
  return {
    key: 'remote_log_throughput',
    unit: 'MB/s',
    baton,
    peer: { name: 'local executor', figure: peer },
    ratio,
    met: ratio >= 0.5,
    target: '≥ 0.5× local',
    note: `${megabytes} MB printed by one stage on a worker, through Redis into the run's log, vs the same stage run locally; wall time of baton run`,
  };
}

/** `remote_stage_overhead_ms` and `remote_log_throughput`: the bullmq executor against the local one. */
export const remoteStagesScenario: Scenario = {
  key: 'remote_stage_overhead_ms',
  title: 'stages on a bullmq queue (2 workers, Redis on loopback) vs the local executor',
  run,
};
