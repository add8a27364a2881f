import { createRun, parsePipeline, transition } from '@baton/core';
import type { RunEvent, RunState } from '@baton/core';
import { ListRunsMethod } from '@baton/protocol';
import type { ListRunsResult } from '@baton/protocol';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ScenarioOutcome } from '../results';
import { ratioOf } from '../results';
import { BatonServerClient } from '../rpcClient';
import type { BenchContext, Scenario } from '../scenario';
import { repetitions } from '../scenario';
import { median, summarize } from '../stats';

/** Runs on disk. */
const RUN_COUNT = 1000;
/** Runs per page, as the editor's history asks. */
const PAGE = 50;
/** Stages of each generated run: its run.json is the size of a real ten-stage run's. */
const STAGES = 10;
/** The goal from issue 14, in ms. */
const TARGET_MS = 100;

/** A ten-stage chain whose stages each write two outputs. */
function pipelineYaml(): string {
  const lines = ['name: Literature review', 'inputs:', '  pillars: { default: core }', 'stages:'];
  for (let i = 0; i < STAGES; i++) {
    lines.push(`  s${i}:`, '    run: "true"');
    if (i > 0) lines.push(`    needs: [s${i - 1}]`);
  }
  return `${lines.join('\n')}\n`;
}

/** A run id of the store's shape for a run created at `at`. */
function runIdAt(at: number): string {
  const iso = new Date(at).toISOString();
  const digits = iso.replace(/[-:TZ.]/g, '');
  return `${digits.slice(0, 8)}-${digits.slice(8, 14)}-${digits.slice(14, 17)}-bnch`;
}

/** A finished run built by the core (created, started, every stage run), as the engine leaves it. */
function finishedRun(
  pipeline: ReturnType<typeof parsePipeline>['pipeline'],
  index: number,
): RunState {
  if (pipeline === undefined) throw new Error('the generated pipeline is invalid');
  const at = Date.UTC(2026, 0, 1) + index * 60_000;
  let state: RunState = {
    ...createRun({
      runId: runIdAt(at),
      pipeline,
      inputs: { pillars: index % 3 === 0 ? 'ALL' : 'core' },
      at,
      interactive: false,
      defaultConcurrency: 2,
    }),
    number: index + 1,
  };
  let now = at;
  const apply = (event: RunEvent): void => {
    const result = transition(state, event);
    if (result.rejected !== undefined) throw new Error(`${event.type}: ${result.rejected}`);
    state = result.state;
  };
  apply({ type: 'runStarted', at: ++now });
  for (let i = 0; i < STAGES; i++) {
    const stage = `s${i}`;
    apply({ type: 'stageStarted', stage, attempt: 1, at: ++now });
    now += 200 + ((index * 7 + i) % 50);
    apply({ type: 'stageExited', stage, attempt: 1, exitCode: 0, random: 0.5, at: now });
  }
  return state;
}

/** Writes `RUN_COUNT` finished runs' `run.json` (no history entries: the server makes them). */
function writeRuns(stateDir: string, workspace: string): { bytes: number } {
  const file = path.join(workspace, 'review.pipeline.yaml');
  writeFileSync(file, pipelineYaml());
  const { pipeline } = parsePipeline(pipelineYaml(), file);
  let bytes = 0;
  for (let index = 0; index < RUN_COUNT; index++) {
    const state = finishedRun(pipeline, index);
    const dir = path.join(stateDir, 'runs', state.runId);
    mkdirSync(dir, { recursive: true });
    const text = `${JSON.stringify(state)}\n`;
    bytes += text.length;
    writeFileSync(path.join(dir, 'run.json'), text);
  }
  return { bytes };
}

/** One `baton/listRuns` page, timed at the client. */
async function timedPage(
  client: BatonServerClient,
  cursor: string | undefined,
): Promise<{ ms: number; page: ListRunsResult }> {
  const started = performance.now();
  const page = await client.request(ListRunsMethod, {
    pipeline: 'review',
    limit: PAGE,
    ...(cursor === undefined ? {} : { cursor }),
  });
  const ms = performance.now() - started;
  if (page.runs.length === 0) throw new Error('baton/listRuns returned no runs');
  return { ms, page };
}

/** Every page, following the cursors (an older server without cursors gives one page). */
async function walk(client: BatonServerClient): Promise<number[]> {
  const times: number[] = [];
  let cursor: string | undefined;
  do {
    const { ms, page } = await timedPage(client, cursor);
    times.push(ms);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return times;
}

/**
 * The peer: the same page made the naive way, as `baton/listRuns` did before
 * history entries: every run's `run.json` read and parsed, then filtered by
 * pipeline, sorted and cut to a page. Read synchronously, so the figure is the
 * bare cost of the reads and parses (a lower bound of the old way), not of
 * thread-pool round trips on a busy machine.
 */
function naivePage(stateDir: string): number {
  const started = performance.now();
  const runsDir = path.join(stateDir, 'runs');
  const found: RunState[] = [];
  for (const runId of readdirSync(runsDir).sort().reverse()) {
    const text = readFileSync(path.join(runsDir, runId, 'run.json'), 'utf8');
    const state = JSON.parse(text) as RunState;
    if (state.pipeline.id === 'review') found.push(state);
  }
  const page = found.sort((a, b) => (a.runId < b.runId ? 1 : -1)).slice(0, PAGE);
  if (page.length !== PAGE) throw new Error(`the naive page has ${page.length} runs`);
  return performance.now() - started;
}

async function run(context: BenchContext): Promise<ScenarioOutcome> {
  const workspace = path.join(context.workDir, 'workspace');
  const stateDir = path.join(context.workDir, 'state');
  mkdirSync(workspace, { recursive: true });
  const { bytes } = writeRuns(stateDir, workspace);
  context.log(
    `history_1000_runs: wrote ${RUN_COUNT} runs (${(bytes / 2 ** 20).toFixed(1)} MB of run.json)`,
  );
  const client = await BatonServerClient.start({ workspace, stateDir });
  const reps = repetitions(context, 9, 5);
  const firstPages: number[] = [];
  const naive: number[] = [];
  let firstWalk: number[] = [];
  const walks: number[][] = [];
  try {
    // The first walk rebuilds the entries runs from before entries existed lack.
    firstWalk = await walk(client);
    for (let rep = 0; rep < reps; rep++) {
      firstPages.push((await timedPage(client, undefined)).ms);
      naive.push(naivePage(stateDir));
      walks.push(await walk(client));
      context.log(
        `history_1000_runs rep ${rep + 1}/${reps}: first page ${firstPages.at(-1)?.toFixed(1)} ms, naive ${naive.at(-1)?.toFixed(1)} ms`,
      );
    }
  } finally {
    await client.close();
  }
  const baton = summarize(firstPages);
  const peer = { name: 'naive run.json reads', figure: summarize(naive) };
  const pages = walks.flat();
  const ratio = ratioOf(baton, peer);
  return {
    rows: [
      {
        key: 'history_1000_runs_ms',
        unit: 'ms per page of 50',
        baton,
        peer,
        ...(ratio === undefined ? {} : { ratio }),
        target: `≤ ${TARGET_MS} ms`,
        met: baton.median <= TARGET_MS,
        note: `baton/listRuns { pipeline, limit: ${PAGE} } over stdio with ${RUN_COUNT} finished ${STAGES}-stage runs on disk (${(bytes / RUN_COUNT / 1024).toFixed(1)} KB of run.json each), each run with its label, status, start and ranMs; every page of a walk through all ${walks[0]?.length ?? 0} pages by cursor: median ${median(pages).toFixed(1)} ms, max ${Math.max(...pages).toFixed(1)} ms; the very first walk, which rebuilt the history entries from run.json: ${firstWalk.reduce((sum, ms) => sum + ms, 0).toFixed(0)} ms in all; peer: the same page made by reading (synchronously) and parsing every run.json in the bench process, as baton/listRuns did before entries`,
      },
    ],
  };
}

/** `history_1000_runs_ms`: a page of 50 runs of a pipeline with 1,000 runs on disk. */
export const history1000Scenario: Scenario = {
  key: 'history_1000_runs_ms',
  title: 'a page of 50 runs (with durations) out of 1,000 on disk, through baton/listRuns',
  run,
};
