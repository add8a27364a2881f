import { performance } from 'node:perf_hooks';
import { GetRunMethod } from '@baton/protocol';
import { latencySeries, p99Row, peerLatencySeries } from '../latency';
import type { Repetition } from '../latency';
import type { ScenarioOutcome } from '../results';
import type { BenchContext, Scenario } from '../scenario';
import { repetitions } from '../scenario';
import { runThroughServer, withServer } from '../serverRun';
import type { BenchServer } from '../serverRun';
import type { BatonServerClient } from '../rpcClient';
import { nodeCommand, writeStageScript } from '../stageScripts';

const TARGET_MS = 20;
const FLOODERS = 8;
/** Time between two getRun requests. */
const GAP_MS = 20;

function floodYaml(script: string, seconds: number): string {
  const lines = ['name: flood', `concurrency: ${FLOODERS}`, 'stages:'];
  for (let index = 0; index < FLOODERS; index++) {
    lines.push(`  f${index}:`, `    run: ${JSON.stringify(nodeCommand(script, [seconds]))}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Sends a getRun every GAP_MS, without waiting for the previous answer (as a
 * view refreshing on a timer would), until `stop()` says so; returns each latency.
 */
async function pollGetRun(
  client: BatonServerClient,
  runId: string,
  stop: () => boolean,
): Promise<number[]> {
  const pending: Promise<number>[] = [];
  while (!stop()) {
    const sent = performance.now();
    pending.push(client.request(GetRunMethod, { runId }).then(() => performance.now() - sent));
    await new Promise((resolve) => setTimeout(resolve, GAP_MS));
  }
  return Promise.all(pending);
}

/** getRun latencies while 8 stages flood their output, then on the idle server with the same run. */
async function oneRepetition(
  server: BenchServer,
  script: string,
  seconds: number,
): Promise<{ flood: number[]; idle: number[]; logBytes: number }> {
  let flood: number[] = [];
  let logBytes = 0;
  let ended = false;
  const result = await runThroughServer(server, 'flood', floodYaml(script, seconds), {
    beforeStart: (client, runId) => {
      client.onNotification('baton/didAppendLog', (log) => {
        if (log.runId === runId()) logBytes += log.text.length;
      });
    },
    whileRunning: async (client, runId) => {
      // Skip the first half second: the stages are still starting.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const deadline = performance.now() + (seconds - 1) * 1000;
      flood = await pollGetRun(client, runId, () => ended || performance.now() > deadline);
    },
  });
  ended = true;
  const idleUntil = performance.now() + 500;
  const idle = await pollGetRun(server.client, result.runId, () => performance.now() > idleUntil);
  return { flood, idle, logBytes };
}

async function run(context: BenchContext): Promise<ScenarioOutcome> {
  const script = writeStageScript(context.workDir, 'flood.js');
  const reps = repetitions(context, 5, 3);
  const seconds = context.quick ? 3 : 8;
  const flood: Repetition[] = [];
  const idle: Repetition[] = [];
  let logMb = 0;
  await withServer(context.workDir, async (server) => {
    for (let rep = 0; rep < reps; rep++) {
      const outcome = await oneRepetition(server, script, seconds);
      flood.push(outcome.flood);
      idle.push(outcome.idle);
      logMb = outcome.logBytes / 2 ** 20;
      context.log(
        `rep ${rep + 1}/${reps}: ${outcome.flood.length} requests under flood, ${logMb.toFixed(0)} MB of log reached the client`,
      );
    }
  });
  return {
    rows: [
      p99Row({
        key: 'rpc_p99_ms_under_flood',
        baton: flood,
        peerName: 'idle server',
        peer: idle,
        targetMs: TARGET_MS,
        note: `baton/getRun every ${GAP_MS} ms while ${FLOODERS} stages print as fast as they can for ${seconds} s (${logMb.toFixed(0)} MB of log reached the client in the last repetition); peer: the same requests once the run ended`,
      }),
    ],
    latencies: [
      latencySeries('rpc: getRun under an 8-stage flood', flood, TARGET_MS),
      peerLatencySeries('rpc peer: getRun on the idle server', idle),
    ],
  };
}

/** `rpc_p99_ms_under_flood`: getRun latency over stdio while 8 stages print as fast as they can. */
export const rpcFloodScenario: Scenario = {
  key: 'rpc_p99_ms_under_flood',
  title: 'baton/getRun latency while 8 stages print as fast as they can',
  run,
};
