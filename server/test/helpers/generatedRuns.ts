/**
 * Finished runs written straight to a state directory, many at once, for the
 * history tests: each a real core state (created, started, every stage run
 * to success) with its `run.json`, and its history entry unless told not to.
 */
import { createRun, parsePipeline, transition } from '@baton/core';
import type { RunEvent, RunState } from '@baton/core';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { storedHistoryEntryOf } from '../../src/store/historyEntry';
import { newRunId } from '../../src/store/runId';

/** The pipeline of generated runs, by id. */
export function generatedPipelineYaml(name: string): string {
  return `name: ${name}\nstages:\n  fetch:\n    run: "true"\n  build:\n    needs: [fetch]\n    run: "true"\n`;
}

/** A finished run of `pipelineId` created at `at`, whose stages took `stageMs` each. */
export function finishedRun(
  pipelineId: string,
  runId: string,
  number: number,
  at: number,
  stageMs = 100,
): RunState {
  const parsed = parsePipeline(
    generatedPipelineYaml(`Pipeline ${pipelineId}`),
    `/w/${pipelineId}.pipeline.yaml`,
  );
  if (parsed.pipeline === undefined) throw new Error('generated pipeline is invalid');
  let state: RunState = {
    ...createRun({
      runId,
      pipeline: { ...parsed.pipeline, id: pipelineId },
      at,
      interactive: false,
      defaultConcurrency: 4,
    }),
    number,
  };
  let now = at;
  const apply = (event: RunEvent): void => {
    const result = transition(state, event);
    if (result.rejected !== undefined) throw new Error(`${event.type}: ${result.rejected}`);
    state = result.state;
  };
  apply({ type: 'runStarted', at: ++now });
  for (const stage of ['fetch', 'build']) {
    apply({ type: 'stageStarted', stage, attempt: 1, at: ++now });
    now += stageMs;
    apply({ type: 'stageExited', stage, attempt: 1, exitCode: 0, random: 0.5, at: now });
  }
  if (state.status !== 'succeeded') throw new Error(`generated run ended ${state.status}`);
  return state;
}

/** Writes a run's folder: `run.json`, and `history.json` when `withEntry`. */
export async function writeRunFolder(
  stateDir: string,
  state: RunState,
  withEntry = true,
): Promise<void> {
  const dir = path.join(stateDir, 'runs', state.runId);
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, 'run.json'), `${JSON.stringify(state)}\n`);
  if (withEntry)
    await fs.writeFile(
      path.join(dir, 'history.json'),
      `${JSON.stringify(storedHistoryEntryOf(state))}\n`,
    );
}

/**
 * Writes `count` finished runs, one second apart from `start`, round-robin
 * over `pipelines`; returns their ids, oldest first.
 */
export async function writeGeneratedRuns(
  stateDir: string,
  count: number,
  pipelines: readonly string[] = ['demo'],
  start = Date.UTC(2026, 0, 1),
): Promise<string[]> {
  const ids: string[] = [];
  const numbers = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const pipelineId = pipelines[i % pipelines.length] ?? 'demo';
    const number = (numbers.get(pipelineId) ?? 0) + 1;
    numbers.set(pipelineId, number);
    const at = start + i * 1000;
    const runId = newRunId(at, () => 0.5);
    ids.push(runId);
    await writeRunFolder(stateDir, finishedRun(pipelineId, runId, number, at, 100 + (i % 7)));
  }
  return ids;
}
