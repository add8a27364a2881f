import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { DidChangeRunMethod } from '@baton/protocol';
import { preciseNow } from '../clock';
import { latencySeries, p99Row, peerLatencySeries } from '../latency';
import type { Repetition } from '../latency';
import type { ScenarioOutcome } from '../results';
import type { BenchContext, Scenario } from '../scenario';
import { repetitions } from '../scenario';
import { runThroughServer, withServer } from '../serverRun';
import type { BenchServer } from '../serverRun';
import { nodeCommand, writeStageScript } from '../stageScripts';

const TARGET_MS = 10;
/** Stages printing progress at once, for more samples per second. */
const STAGES = 4;
/** Above the engine's progress throttle (200 ms), so no update is held back by design. */
const INTERVAL_MS = 210;

function pipelineYaml(script: string, count: number): string {
  const lines = ['name: event latency', `concurrency: ${STAGES}`, 'stages:'];
  for (let index = 0; index < STAGES; index++) {
    lines.push(
      `  p${index}:`,
      `    run: ${JSON.stringify(nodeCommand(script, [count, INTERVAL_MS]))}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The time stamp a `::progress` message carries (`t=<ms>`), if any. */
function stampOf(message: string | undefined): number | undefined {
  const match = /^t=(\d+(?:\.\d+)?)$/.exec(message ?? '');
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

async function throughBaton(server: BenchServer, script: string, count: number): Promise<number[]> {
  const samples: number[] = [];
  const seen = new Set<string>();
  await runThroughServer(server, 'events', pipelineYaml(script, count), {
    beforeStart: (client, runId) => {
      client.onNotification(DidChangeRunMethod, (params) => {
        const now = preciseNow();
        if (params.run.runId !== runId()) return;
        for (const stage of params.stages) {
          const stamp = stampOf(stage.progress?.message);
          const key = `${stage.id} ${stamp}`;
          if (stamp === undefined || seen.has(key)) continue;
          seen.add(key);
          samples.push(now - stamp);
        }
      });
    },
  });
  return samples;
}

/** The machine's limit: the same program's stdout read straight from a pipe. */
function throughPipe(script: string, count: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const samples: number[] = [];
    const children = Array.from({ length: STAGES }, () =>
      spawn(process.execPath, [script, String(count), String(INTERVAL_MS)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      }),
    );
    let open = children.length;
    for (const child of children) {
      if (child.stdout === null) throw new Error('no stdout pipe');
      createInterface({ input: child.stdout }).on('line', (line) => {
        const stamp = stampOf(/::(t=[\d.]+)$/.exec(line)?.[1]);
        if (stamp !== undefined) samples.push(preciseNow() - stamp);
      });
      child.on('error', reject);
      child.on('close', () => {
        open -= 1;
        if (open === 0) resolve(samples);
      });
    }
  });
}

async function run(context: BenchContext): Promise<ScenarioOutcome> {
  const script = writeStageScript(context.workDir, 'progress.js');
  const reps = repetitions(context, 5, 3);
  const count = context.quick ? 6 : 24;
  const baton: Repetition[] = [];
  const pipe: Repetition[] = [];
  await withServer(context.workDir, async (server) => {
    for (let rep = 0; rep < reps; rep++) {
      baton.push(await throughBaton(server, script, count));
      pipe.push(await throughPipe(script, count));
      context.log(
        `rep ${rep + 1}/${reps}: ${baton.at(-1)?.length ?? 0} + ${pipe.at(-1)?.length ?? 0} samples`,
      );
    }
  });
  return {
    rows: [
      p99Row({
        key: 'event_latency_p99_ms',
        baton,
        peerName: 'raw pipe',
        peer: pipe,
        targetMs: TARGET_MS,
        note: `${STAGES} stages print ::progress every ${INTERVAL_MS} ms → baton/didChangeRun at the client; peer: the same programs read from a pipe`,
      }),
    ],
    latencies: [
      latencySeries('event: ::progress → didChangeRun', baton, TARGET_MS),
      peerLatencySeries('event peer: raw pipe', pipe),
    ],
  };
}

/** `event_latency_p99_ms`: a stage prints `::progress` → the client has the notification. */
export const eventLatencyScenario: Scenario = {
  key: 'event_latency_p99_ms',
  title: 'a stage prints ::progress → the client receives baton/didChangeRun',
  run,
};
