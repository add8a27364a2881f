import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ResultFiles } from '../stageExecutor';
import type { FileRole, RemoteResult, TravellingFiles } from './remoteJob';

/** Most bytes of one travelling file; a stage keeps large artifacts on shared storage instead. */
export const TRAVELLING_FILE_LIMIT = 1024 * 1024;

/** The role of each environment variable that names one of the attempt's files. */
export function fileVarsOf(
  env: Readonly<Record<string, string>>,
  files: ResultFiles & { readonly runDir?: string },
): Record<string, FileRole> {
  const roles = new Map<string, FileRole>([
    [files.outputFile, 'output'],
    [files.envFile, 'env'],
    [files.pathFile, 'path'],
    [files.summaryFile, 'summary'],
    [files.savedStateFile, 'savedState'],
    [files.stateDir, 'stateDir'],
  ]);
  if (files.runDir !== undefined) roles.set(files.runDir, 'runDir');
  const vars: Record<string, FileRole> = {};
  for (const [name, value] of Object.entries(env)) {
    const role = roles.get(value);
    if (role !== undefined) vars[name] = role;
  }
  return vars;
}

/** Reads the files that travel with a stage to its worker: summary, saved state, `$BATON_STATE`. */
export async function readTravellingFiles(
  summaryFile: string,
  savedStateFile: string,
  stateDir: string,
): Promise<TravellingFiles> {
  const [summary, savedState, names] = await Promise.all([
    readSmall(summaryFile),
    readSmall(savedStateFile),
    fs.readdir(stateDir, { withFileTypes: true }).catch(() => []),
  ]);
  const state: Record<string, string> = {};
  for (const entry of names) {
    if (entry.isFile()) state[entry.name] = await readSmall(path.join(stateDir, entry.name));
  }
  return { summary, savedState, stateDir: state };
}

/** Writes travelling files into place (the worker's copies, or the engine's on return). */
export async function writeTravellingFiles(
  files: TravellingFiles,
  summaryFile: string,
  savedStateFile: string,
  stateDir: string,
): Promise<void> {
  await fs.mkdir(stateDir, { recursive: true, mode: 0o700 });
  await Promise.all([
    fs.writeFile(summaryFile, files.summary, { mode: 0o600 }),
    fs.writeFile(savedStateFile, files.savedState, { mode: 0o600 }),
    ...Object.entries(files.stateDir).map(([name, text]) =>
      // Names come from a readdir on the other side; a path in one is refused.
      name.includes('/') || name === '..' || name === '.'
        ? Promise.resolve()
        : fs.writeFile(path.join(stateDir, name), text, { mode: 0o600 }),
    ),
  ]);
}

/** Puts what a stage left on its worker into the engine's files of the attempt. */
export async function deliverResult(result: RemoteResult, files: ResultFiles): Promise<void> {
  await Promise.all([
    fs.writeFile(files.outputFile, result.output, { mode: 0o600 }),
    fs.writeFile(files.envFile, result.env, { mode: 0o600 }),
    fs.writeFile(files.pathFile, result.path, { mode: 0o600 }),
    writeTravellingFiles(result.files, files.summaryFile, files.savedStateFile, files.stateDir),
  ]);
}

/** A file's text, at most `TRAVELLING_FILE_LIMIT` bytes of it; empty when it is missing. */
export async function readSmall(file: string): Promise<string> {
  try {
    const handle = await fs.open(file, 'r');
    try {
      // Sized by the file (most are empty): a zeroed 1 MB buffer per file showed up in every remote stage.
      const { size } = await handle.stat();
      const length = Math.min(size, TRAVELLING_FILE_LIMIT);
      if (length === 0) return '';
      const buffer = Buffer.allocUnsafe(length);
      const { bytesRead } = await handle.read(buffer, 0, length, 0);
      return buffer.toString('utf8', 0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch {
    return '';
  }
}
