import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  DidChangeRunMethod,
  GetRunMethod,
  ListItemsMethod,
  isStoppedRunStatus,
} from '@baton/protocol';
import { latencySeries, p99Row, peerLatencySeries } from '../latency';
import type { Repetition } from '../latency';
import type { ResultRow, ScenarioOutcome } from '../results';
import type { BenchContext, Scenario } from '../scenario';
import { repetitions } from '../scenario';
import { runThroughServer, withServer } from '../serverRun';
import type { BatonServerClient } from '../rpcClient';
import { summarize } from '../stats';
import { FULL_ITEMS, QUICK_ITEMS, fanOutPipelineYaml, writeItems } from './fanOutProject';

/** The goals: memory stays flat, the tree stays responsive. */
const RSS_GOAL_MB = 200;
const RPC_GOAL_MS = 20;
/** Time from an answer to the next request, as a view refreshing on a timer. */
const GAP_MS = 100;

/** A field of `/proc/<pid>/status` in MB (`VmHWM` is the peak resident set so far). */
function statusMb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(text)?.[1];
  if (kb === undefined) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(kb) / 1024;
}

/** Units a tree row lists per page when it expands the fanned-out stage. */
const PAGE = 100;

/**
 * What the Runs tree asks while a fanned-out stage is expanded: the run's
 * snapshot (`baton/getRun`, counts and the few failed or running units), then
 * the stage's first page of units (`baton/listItems`), GAP_MS after each
 * answer, until `stop()`; each latency. One request at a time, as a view that
 * refreshes after its last answer: requests sent on a timer regardless piled
 * up faster than a loaded machine answered (2 GB of answers once, when a
 * snapshot listed every unit), which measures the client's impatience, not
 * the server (the server now refuses past 64 requests in flight).
 */
async function pollTree(
  client: BatonServerClient,
  runId: string,
  stop: () => boolean,
): Promise<number[]> {
  const latencies: number[] = [];
  const timed = async (request: () => Promise<unknown>): Promise<void> => {
    const sent = performance.now();
    await request();
    latencies.push(performance.now() - sent);
    await new Promise((resolve) => setTimeout(resolve, GAP_MS));
  };
  while (!stop()) {
    await timed(() => client.request(GetRunMethod, { runId }));
    if (stop()) break;
    await timed(() => client.request(ListItemsMethod, { runId, stage: 'each', limit: PAGE }));
  }
  return latencies;
}

interface Repetitions {
  readonly peakMb: number[];
  readonly idleMb: number[];
  readonly rpc: Repetition[];
  readonly idleRpc: Repetition[];
  readonly events: Repetition[];
}

/** One 10,000-item run through a fresh server: its peak memory, getRun and event latencies. */
async function oneRun(
  context: BenchContext,
  rep: number,
  count: number,
  into: Repetitions,
): Promise<void> {
  const dir = path.join(context.workDir, `rep-${rep}`);
  await withServer(dir, async (server) => {
    writeItems(server.workspace, count);
    into.idleMb.push(statusMb(server.client.pid, 'VmRSS'));
    let ended = false;
    let rpc: number[] = [];
    const events: number[] = [];
    const result = await runThroughServer(
      server,
      'fan',
      fanOutPipelineYaml(),
      {
        beforeStart: (client, runId) => {
          client.onNotification(DidChangeRunMethod, (params) => {
            if (params.run.runId !== runId()) return;
            // The polling stops with the run (its end is awaited only after it).
            if (isStoppedRunStatus(params.run.status)) ended = true;
            // Server and bench share the machine's clock: the time from the run event to here.
            const now = Date.now();
            for (const event of params.events) events.push(now - event.time);
          });
        },
        whileRunning: async (client, runId) => {
          rpc = await pollTree(client, runId, () => ended);
        },
      },
      1_800_000,
    ).finally(() => (ended = true));
    if (result.status !== 'succeeded') throw new Error(`the run ended ${result.status}`);
    into.peakMb.push(statusMb(server.client.pid, 'VmHWM'));
    const idleUntil = performance.now() + 1000;
    into.idleRpc.push(
      await pollTree(server.client, result.runId, () => performance.now() > idleUntil),
    );
    into.rpc.push(rpc);
    into.events.push(events);
    context.log(
      `rep ${rep + 1}: peak ${into.peakMb.at(-1)?.toFixed(0)} MB, ${rpc.length} getRun/listItems (p50 ${percentile(rpc, 0.5)} ms, p99 ${percentile(rpc, 0.99)} ms), ${events.length} events (p50 ${percentile(events, 0.5)} ms, p99 ${percentile(events, 0.99)} ms)`,
    );
  });
}

/** The `q` quantile of `values`, rounded to 0.1 ms, for the per-repetition log line. */
function percentile(values: readonly number[], q: number): string {
  const sorted = [...values].sort((a, b) => a - b);
  const value = sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return value === undefined ? '-' : value.toFixed(1);
}

function memoryRow(into: Repetitions, count: number): ResultRow {
  const baton = summarize(into.peakMb);
  return {
    key: 'serve_peak_rss_10k_mb',
    unit: 'MB',
    baton,
    peer: { name: 'idle server', figure: summarize(into.idleMb) },
    target: `≤ ${RSS_GOAL_MB} MB`,
    met: baton.median <= RSS_GOAL_MB,
    note: `peak resident memory (VmHWM) of baton serve --stdio over a ${count}-item foreach run (concurrency 2, getRun and listItems ${GAP_MS} ms after each answer); peer: the same server before the run`,
  };
}

async function run(context: BenchContext): Promise<ScenarioOutcome> {
  const count = context.quick ? QUICK_ITEMS : FULL_ITEMS;
  const into: Repetitions = { peakMb: [], idleMb: [], rpc: [], idleRpc: [], events: [] };
  const reps = repetitions(context, 2, 1);
  for (let rep = 0; rep < reps; rep++) await oneRun(context, rep, count, into);
  return {
    rows: [
      memoryRow(into, count),
      p99Row({
        key: 'rpc_p99_10k_ms',
        baton: into.rpc,
        peerName: 'idle server',
        peer: into.idleRpc,
        targetMs: RPC_GOAL_MS,
        note: `baton/getRun (counts, failed and running units) and baton/listItems (a page of ${PAGE}) in turn, one at a time ${GAP_MS} ms apart, while ${count} items run; peer: the same requests once the run ended`,
      }),
      p99Row({
        key: 'event_delivery_p99_10k_ms',
        baton: into.events,
        peerName: 'none',
        peer: undefined,
        targetMs: RPC_GOAL_MS,
        note: `run event (its time) → baton/didChangeRun at the client, while ${count} items run`,
      }),
    ],
    latencies: [
      latencySeries(`rpc: getRun/listItems during a ${count}-item run`, into.rpc, RPC_GOAL_MS),
      peerLatencySeries('rpc peer: getRun/listItems on the idle server', into.idleRpc),
      latencySeries(`event: run event → didChangeRun, ${count} items`, into.events, RPC_GOAL_MS),
    ],
  };
}

/** Server memory and responsiveness while a 10,000-item foreach runs through `baton serve`. */
export const server10kScenario: Scenario = {
  key: 'serve_peak_rss_10k_mb',
  title: `baton serve over a ${FULL_ITEMS}-item foreach: peak memory, getRun/listItems and event latency`,
  run,
};
