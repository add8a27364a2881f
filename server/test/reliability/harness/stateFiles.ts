/**
 * Checks over a whole state directory: every JSON and JSON-lines file parses,
 * no file holds a given text, every entry is owner-only.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** A file or directory under the state directory. */
export interface StateEntry {
  readonly path: string;
  readonly isDirectory: boolean;
  readonly mode: number;
}

/**
 * Every file and directory under `root` (not `root` itself), recursively. A
 * file gone between the listing and its stat (a temp file an atomic write
 * just renamed or removed) is left out.
 */
export async function listTree(root: string): Promise<StateEntry[]> {
  const names = await fs.readdir(root, { recursive: true });
  const entries = await Promise.all(
    names.map(async (name) => {
      const full = path.join(root, name);
      const stat = await fs.lstat(full).catch(ignoreVanished);
      if (stat === undefined) return undefined;
      return { path: full, isDirectory: stat.isDirectory(), mode: stat.mode & 0o7777 };
    }),
  );
  return entries.filter((entry): entry is StateEntry => entry !== undefined);
}

/** Undefined for a file that no longer exists; any other error is thrown again. */
function ignoreVanished(error: unknown): undefined {
  if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
  throw error;
}

/**
 * Problems with the JSON files under `root`: a `.json` file that is not one
 * JSON value, or a `.jsonl` line that is not (a missing last newline counts:
 * an appended line must never be left half-written).
 */
export async function jsonProblems(root: string): Promise<string[]> {
  const problems: string[] = [];
  for (const entry of await listTree(root)) {
    if (entry.isDirectory) continue;
    const isJson = entry.path.endsWith('.json');
    const isJsonLines = entry.path.endsWith('.jsonl');
    if (!isJson && !isJsonLines) continue;
    const text = await fs.readFile(entry.path, 'utf8').catch(ignoreVanished);
    if (text === undefined) continue;
    if (isJson) {
      try {
        JSON.parse(text);
      } catch (error) {
        problems.push(`${entry.path}: ${String(error)}`);
      }
      continue;
    }
    if (text !== '' && !text.endsWith('\n')) problems.push(`${entry.path}: last line unfinished`);
    text
      .split('\n')
      .filter((line) => line !== '')
      .forEach((line, index) => {
        try {
          JSON.parse(line);
        } catch (error) {
          problems.push(`${entry.path}:${index + 1}: ${String(error)}`);
        }
      });
  }
  return problems;
}

/** Files under `root` whose bytes contain any of `needles`, with the needle found. */
export async function filesContaining(root: string, needles: readonly string[]): Promise<string[]> {
  const hits: string[] = [];
  for (const entry of await listTree(root)) {
    if (entry.isDirectory) continue;
    const bytes = await fs.readFile(entry.path).catch(ignoreVanished);
    if (bytes === undefined) continue;
    for (const needle of needles) {
      if (bytes.includes(Buffer.from(needle))) hits.push(`${entry.path} holds ${needle}`);
    }
  }
  return hits;
}

/** Reads a JSON file. */
export async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await fs.readFile(file, 'utf8')) as T;
}

/** Reads a JSON-lines file into values (empty lines skipped). */
export async function readJsonLines<T>(file: string): Promise<T[]> {
  const text = await fs.readFile(file, 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as T);
}
