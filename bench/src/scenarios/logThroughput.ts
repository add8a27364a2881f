import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DidAppendLogMethod } from '@baton/protocol';
import { peakResidentMb, runChecked } from '../processes';
import type { ResultRow, ScenarioOutcome } from '../results';
import type { BenchContext, Scenario } from '../scenario';
import { repetitions } from '../scenario';
import { runThroughServer, withServer } from '../serverRun';
import { nodeCommand, shellQuote, writeStageScript } from '../stageScripts';
import { summarize } from '../stats';

const RATIO_TARGET = 0.8;
const RSS_TARGET_MB = 150;

interface BatonPass {
  /** From startRun until the client had seen the log's last byte. */
  readonly ms: number;
  /** The server's peak resident memory during the run. */
  readonly peakMb: number;
  /** Bytes of log text the client received (less than the output when the server left gaps for getLog). */
  readonly receivedBytes: number;
}

/** How far into each attempt's log the client has seen, and how much text it got. */
class LogFollower {
  received = 0;
  end = 0;
  private reached: () => void = () => undefined;
  readonly complete: Promise<void>;

  constructor(private readonly expected: number) {
    this.complete = new Promise((resolve) => (this.reached = resolve));
  }

  /** Takes one didAppendLog; the text is ASCII, so characters are bytes. */
  take(offset: number, text: string): void {
    this.received += text.length;
    this.end = Math.max(this.end, offset + text.length);
    if (this.end >= this.expected) this.reached();
  }
}

/** One run of the bulk writer through a fresh server with a connected client. */
async function throughBaton(dir: string, script: string, megabytes: number): Promise<BatonPass> {
  const expected = megabytes * 2 ** 20;
  const yaml = `name: bulk\nstages:\n  bulk:\n    run: ${JSON.stringify(nodeCommand(script, [megabytes]))}\n`;
  return withServer(dir, async (server) => {
    const follower = new LogFollower(expected);
    const started = performance.now();
    await runThroughServer(server, 'bulk', yaml, {
      beforeStart: (client, runId) => {
        client.onNotification(DidAppendLogMethod, (log) => {
          if (log.runId === runId()) follower.take(log.offset, log.text);
        });
      },
    });
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, 60_000).unref());
    await Promise.race([follower.complete, deadline]);
    const ms = performance.now() - started;
    const peakMb = peakResidentMb(server.client.pid) ?? Number.NaN;
    if (follower.end < expected) {
      throw new Error(
        `the client saw ${follower.end} of ${expected} bytes of log within a minute after the run ended`,
      );
    }
    return { ms, peakMb, receivedBytes: follower.received };
  });
}

/** The same program with its output redirected to a file. */
async function toFile(dir: string, script: string, megabytes: number): Promise<number> {
  const out = path.join(dir, 'redirected.log');
  const command = `${nodeCommand(script, [megabytes])} > ${shellQuote(out)}`;
  return (await runChecked('/bin/sh', ['-c', command])).elapsedMs;
}

function rssRow(peaks: number[], smallPeak: number, megabytes: number): ResultRow {
  const figure = summarize(peaks);
  const flat = figure.median <= smallPeak * 1.25 + 10;
  return {
    key: 'server_peak_rss_mb',
    unit: 'MB',
    baton: figure,
    target: `≤ ${RSS_TARGET_MB} MB, flat in output size`,
    met: figure.median <= RSS_TARGET_MB && flat,
    note: `VmHWM of the server process; ${smallPeak.toFixed(0)} MB with ${Math.round(megabytes / 8)} MB of output, ${figure.median.toFixed(0)} MB with ${megabytes} MB (${flat ? 'flat' : 'grows with the output'})`,
  };
}

async function run(context: BenchContext): Promise<ScenarioOutcome> {
  const script = writeStageScript(context.workDir, 'bulk.js');
  const megabytes = context.quick ? 200 : 1024;
  const reps = repetitions(context, 3, 2);
  const batonMs: number[] = [];
  const fileMs: number[] = [];
  const peaks: number[] = [];
  let gapMb = 0;
  for (let rep = 0; rep < reps; rep++) {
    const pass = await throughBaton(path.join(context.workDir, `rep${rep}`), script, megabytes);
    batonMs.push(pass.ms);
    peaks.push(pass.peakMb);
    gapMb = Math.max(gapMb, megabytes - pass.receivedBytes / 2 ** 20);
    fileMs.push(await toFile(context.workDir, script, megabytes));
    context.log(
      `rep ${rep + 1}/${reps}: baton ${pass.ms.toFixed(0)} ms (peak ${pass.peakMb.toFixed(0)} MB), file ${fileMs.at(-1)?.toFixed(0)} ms`,
    );
  }
  const small = await throughBaton(
    path.join(context.workDir, 'small'),
    script,
    Math.round(megabytes / 8),
  );
  const throughputs = batonMs.map((ms) => megabytes / (ms / 1000));
  const peerThroughputs = fileMs.map((ms) => megabytes / (ms / 1000));
  const baton = summarize(throughputs);
  const peer = summarize(peerThroughputs);
  const ratio = baton.median / peer.median;
  return {
    rows: [
      {
        key: 'log_throughput_ratio',
        unit: 'MB/s',
        baton,
        peer: { name: 'redirect to file', figure: peer },
        ratio,
        target: `≥ ${RATIO_TARGET}`,
        met: ratio >= RATIO_TARGET,
        note: `${megabytes} MB of 100-byte lines from one stage, timed from baton/startRun until the client saw the last byte in baton/didAppendLog (${gapMb < 0.05 ? 'every byte reached it' : `up to ${gapMb.toFixed(1)} MB came as gaps to read with baton/getLog`}); peer: the same program > file`,
      },
      rssRow(peaks, small.peakMb, megabytes),
    ],
  };
}

/** `log_throughput_ratio` and `server_peak_rss_mb`: bulk output through Baton vs a redirect to a file. */
export const logThroughputScenario: Scenario = {
  key: 'log_throughput_ratio',
  title: 'bulk output lines through Baton to its log and a client vs redirected to a file',
  run,
};
