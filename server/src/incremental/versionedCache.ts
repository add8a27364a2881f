import * as fs from 'node:fs';
import { writeFileAtomic } from '../store/atomicFile';
import { keepWritten, parsedWhileUnchanged } from './parsedFiles';

/**
 * The entries of a cache file written as `{ version, [key]: { … } }` by
 * `writeVersionedCache`, or none when the file is missing, damaged or of
 * another version: a cache only saves work, so anything doubtful is dropped
 * and the work is done afresh. The parsed file is shared with later reads
 * while its stat is unchanged (`parsedWhileUnchanged`): callers must not
 * change what they get.
 */
export function readVersionedCache(
  file: string,
  version: number,
  key: string,
): Record<string, unknown> {
  const parsed = parsedWhileUnchanged(file, () => parsedJson(file));
  const entries = parsed?.[key];
  if (parsed?.['version'] === version && typeof entries === 'object' && entries !== null)
    return entries as Record<string, unknown>;
  return {};
}

/** The JSON object in `file`, or undefined when there is none or it is damaged. */
function parsedJson(file: string): Readonly<Record<string, unknown>> | undefined {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return typeof parsed === 'object' && parsed !== null
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    // No cache yet, or a damaged one.
    return undefined;
  }
}

/** Writes a cache file atomically; a failure only costs the work again next time. */
export async function writeVersionedCache(
  file: string,
  version: number,
  key: string,
  entries: Readonly<Record<string, unknown>>,
): Promise<void> {
  const body = { version, [key]: entries };
  await writeFileAtomic(file, JSON.stringify(body)).then(
    () => keepWritten(file, body),
    () => undefined,
  );
}
