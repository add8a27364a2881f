import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { DidAppendLogMethod } from '@baton/protocol';
import { preciseNow } from '../clock';
import { latencySeries, p99Row, peerLatencySeries } from '../latency';
import type { Repetition } from '../latency';
import { findOnPath } from '../peers';
import type { ScenarioOutcome } from '../results';
import type { BenchContext, Scenario } from '../scenario';
import { repetitions } from '../scenario';
import { runThroughServer, withServer } from '../serverRun';
import type { BenchServer } from '../serverRun';
import { nodeCommand, writeStageScript } from '../stageScripts';

const TARGET_MS = 50;
const INTERVAL_MS = 40;
/** The appender waits this long first, so the tailer is watching before the file appears. */
const START_DELAY_MS = 300;

function stampsIn(text: string): number[] {
  return [...text.matchAll(/tick (\d+(?:\.\d+)?)/g)].map((match) => Number(match[1]));
}

/** Through Baton: the stage appends to a `watch:`ed file; the client reads the lines in didAppendLog. */
async function throughBaton(server: BenchServer, script: string, count: number): Promise<number[]> {
  const samples: number[] = [];
  const command = nodeCommand(script, ['status/tail.log', count, INTERVAL_MS, START_DELAY_MS]);
  const yaml = `name: tail\nstages:\n  tail:\n    run: ${JSON.stringify(`rm -rf status && ${command}`)}\n    watch: [status/*.log]\n`;
  await runThroughServer(server, 'tail', yaml, {
    beforeStart: (client, runId) => {
      client.onNotification(DidAppendLogMethod, (log) => {
        const now = preciseNow();
        if (log.runId !== runId()) return;
        for (const stamp of stampsIn(log.text)) samples.push(now - stamp);
      });
    },
  });
  return samples;
}

/** The peer: GNU `tail -F` (inotify) following the same file, read from its stdout. */
function throughTail(tail: string, dir: string, script: string, count: number): Promise<number[]> {
  const file = path.join(dir, 'tail-peer.log');
  return new Promise((resolve, reject) => {
    const samples: number[] = [];
    const follower = spawn(tail, ['-F', '-n', '0', '-s', '0.05', file], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    if (follower.stdout === null) throw new Error('no stdout pipe');
    createInterface({ input: follower.stdout }).on('line', (line) => {
      const now = preciseNow();
      for (const stamp of stampsIn(line)) samples.push(now - stamp);
    });
    const writer = spawn(
      process.execPath,
      [script, file, String(count), String(INTERVAL_MS), String(START_DELAY_MS)],
      { stdio: 'inherit' },
    );
    writer.on('error', reject);
    writer.on('close', () => {
      // Let the follower deliver the last line before it is stopped.
      setTimeout(() => {
        follower.kill();
        resolve(samples);
      }, 300);
    });
  });
}

async function run(context: BenchContext): Promise<ScenarioOutcome> {
  const script = writeStageScript(context.workDir, 'append.js');
  const reps = repetitions(context, 5, 3);
  const count = context.quick ? 25 : 100;
  const tail = findOnPath('tail');
  const baton: Repetition[] = [];
  const peer: Repetition[] = [];
  await withServer(context.workDir, async (server) => {
    for (let rep = 0; rep < reps; rep++) {
      baton.push(await throughBaton(server, script, count));
      if (tail !== undefined) peer.push(await throughTail(tail, context.workDir, script, count));
      context.log(
        `rep ${rep + 1}/${reps}: ${baton.at(-1)?.length ?? 0} + ${peer.at(-1)?.length ?? 0} lines`,
      );
    }
  });
  return {
    rows: [
      p99Row({
        key: 'tail_latency_p99_ms',
        baton,
        peerName: 'tail -F',
        peer: tail === undefined ? undefined : peer,
        targetMs: TARGET_MS,
        note: `a program appends a line every ${INTERVAL_MS} ms to a watch:ed file → the line in baton/didAppendLog at the client; peer: GNU tail -F (inotify) on the same kind of file`,
      }),
    ],
    latencies: [
      latencySeries('tail: append → didAppendLog', baton, TARGET_MS),
      ...(tail === undefined ? [] : [peerLatencySeries('tail peer: tail -F', peer)]),
    ],
  };
}

/** `tail_latency_p99_ms`: a program appends a line to a `watch:`ed file → the client receives it. */
export const tailLatencyScenario: Scenario = {
  key: 'tail_latency_p99_ms',
  title: 'a program appends to a watch:ed file → the client receives the line',
  run,
};
