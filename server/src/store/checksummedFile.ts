/**
 * A cache file of one JSON body behind a line holding its SHA-256: what the
 * parsed-pipeline and dry-run-plan caches keep. A torn, damaged or hand-edited
 * file fails the checksum and reads as absent, so a cache can only ever miss,
 * never answer wrongly. Writes are atomic; a failure to write is the caller's
 * miss next time, never an error.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureDir, writeFileAtomic } from './atomicFile';

/** The hex SHA-256 of `text`. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The body kept in `file`, parsed, or undefined when absent, damaged or not JSON. */
export function readChecksummedJson<T>(file: string): Partial<T> | undefined {
  let stored: string;
  try {
    stored = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const newline = stored.indexOf('\n');
  const bodyText = stored.slice(newline + 1);
  if (newline < 0 || stored.slice(0, newline) !== sha256(bodyText)) return undefined;
  try {
    return JSON.parse(bodyText) as Partial<T>;
  } catch {
    return undefined;
  }
}

/** Keeps `body` as JSON in `file`; false when it could not be written (a read-only or full disk). */
export async function writeChecksummedJson(file: string, body: unknown): Promise<boolean> {
  const text = JSON.stringify(body);
  try {
    await ensureDir(path.dirname(file));
    await writeFileAtomic(file, `${sha256(text)}\n${text}`);
    return true;
  } catch {
    return false;
  }
}
