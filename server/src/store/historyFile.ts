/**
 * Reading and writing `runs/<runId>/history.json`. The owner of a run writes
 * it in an order that keeps it from ever claiming more than `run.json` (see
 * `RunStore.writeCheckpoint`); readers that find it missing or damaged
 * rebuild it from `run.json` without fsync (it is derived data: a torn
 * rebuild after a power cut is damaged again, and rebuilt again).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { FILE_MODE, isTempName, tempPathFor, writeFileAtomic } from './atomicFile';
import type { HistoryEntry } from './historyEntry';
import { historyEntryProblem } from './historyEntry';
import { hasCode, toStoreError } from './storeError';

/** The name of a run's history entry in its folder. */
export const HISTORY_FILE_NAME = 'history.json';

/** Whether `file` is a run's history entry or a temp file on its way to being one. */
export function isHistoryEntryFile(file: string): boolean {
  const name = path.basename(file);
  return (
    name === HISTORY_FILE_NAME || (name.startsWith(`.${HISTORY_FILE_NAME}.`) && isTempName(name))
  );
}

/** What reading one entry found. */
export type HistoryEntryRead =
  | { readonly kind: 'entry'; readonly entry: HistoryEntry }
  | { readonly kind: 'missing' }
  | { readonly kind: 'damaged'; readonly problem: string };

/** Reads and checks an entry; never throws for a missing or malformed file. */
export async function readHistoryEntry(file: string, runId: string): Promise<HistoryEntryRead> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return { kind: 'missing' };
    return { kind: 'damaged', problem: error instanceof Error ? error.message : String(error) };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { kind: 'damaged', problem: `it is not valid JSON (${why})` };
  }
  const problem = historyEntryProblem(value, runId);
  return problem === undefined
    ? { kind: 'entry', entry: value as HistoryEntry }
    : { kind: 'damaged', problem };
}

/** The owner's write: atomic and durable (temp, fsync, rename, fsync dir). */
export async function writeHistoryEntry(file: string, entry: HistoryEntry): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(entry)}\n`);
}

/**
 * A reader's rebuild: puts `entry` in place only if no entry is there (a
 * damaged one is removed first), so an owner that wrote a fresh entry
 * meanwhile keeps it. Returns whether this entry was put in place.
 */
export async function rebuildHistoryEntry(
  file: string,
  entry: HistoryEntry,
  damaged: boolean,
): Promise<boolean> {
  if (damaged) await fs.rm(file, { force: true });
  const temp = tempPathFor(file);
  try {
    await fs.writeFile(temp, `${JSON.stringify(entry)}\n`, { mode: FILE_MODE, flag: 'wx' });
    await fs.link(temp, file);
    return true;
  } catch (error) {
    if (hasCode(error, 'EEXIST')) return false;
    throw toStoreError(error, 'rebuilding history entry', file);
  } finally {
    await fs.rm(temp, { force: true }).catch(() => undefined);
  }
}

/** Removes an entry that could not be kept in step (readers then fall back to `run.json`). */
export async function removeHistoryEntry(file: string): Promise<void> {
  try {
    await fs.rm(file, { force: true });
  } catch (error) {
    throw toStoreError(error, 'removing history entry', file);
  }
}
