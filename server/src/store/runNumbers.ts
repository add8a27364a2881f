/**
 * Per-pipeline run numbers: the 14 of `Literature review #14`. The number of a
 * pipeline's latest run is kept in `numbers/<pipelineId>`; the next run takes
 * one more. The caller holds the pipeline's lock, so two runs never read the
 * same number. A state directory from before numbers existed (no file) starts
 * after its existing runs of the pipeline.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ensureDir, writeFileAtomic } from './atomicFile';
import type { RunStore } from './runStore';
import { hasCode, toStoreError } from './storeError';

/** Takes the next run number of `pipelineId` and records it. Call with the pipeline's lock held. */
export async function takeRunNumber(store: RunStore, pipelineId: string): Promise<number> {
  const file = store.paths.runNumberFile(pipelineId);
  const latest = (await readLatest(file)) ?? (await countExistingRuns(store, pipelineId));
  const next = latest + 1;
  await ensureDir(path.dirname(file));
  await writeFileAtomic(file, `${next}\n`);
  return next;
}

/** The recorded number, or undefined when there is no file or it holds no number (then it is rebuilt). */
async function readLatest(file: string): Promise<number | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return undefined;
    throw toStoreError(error, 'reading run number', file);
  }
  const value = Number(text.trim());
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/** The highest number among the pipeline's runs, or how many it has when they have none. */
async function countExistingRuns(store: RunStore, pipelineId: string): Promise<number> {
  const runs = await store.listRuns({ pipelineId });
  let highest = 0;
  for (const listing of runs) {
    if ('state' in listing) highest = Math.max(highest, listing.state.number ?? 0);
  }
  return Math.max(highest, runs.length);
}
