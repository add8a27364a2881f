import * as fs from 'node:fs';
import { writeFileAtomic } from '../store/atomicFile';

/**
 * The entries of a cache file written as `{ version, [key]: { … } }` by
 * `writeVersionedCache`, or none when the file is missing, damaged or of
 * another version: a cache only saves work, so anything doubtful is dropped
 * and the work is done afresh.
 */
export function readVersionedCache(
  file: string,
  version: number,
  key: string,
): Record<string, unknown> {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    const entries = parsed[key];
    if (parsed['version'] === version && typeof entries === 'object' && entries !== null)
      return entries as Record<string, unknown>;
  } catch {
    // No cache yet, or a damaged one.
  }
  return {};
}

/** Writes a cache file atomically; a failure only costs the work again next time. */
export async function writeVersionedCache(
  file: string,
  version: number,
  key: string,
  entries: Readonly<Record<string, unknown>>,
): Promise<void> {
  await writeFileAtomic(file, JSON.stringify({ version, [key]: entries })).catch(() => undefined);
}
