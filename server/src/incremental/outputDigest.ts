import type { StageExports } from '@baton/core';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { matchFiles } from './depsFiles';
import type { FileHasher } from './fileHasher';
import type { RecordedFile } from './recordEntry';

/** What a finished stage handed on, hashed: its output values, exports and declared output files. */
export interface HandedOn {
  readonly digest: string;
  readonly files: Readonly<Record<string, RecordedFile>>;
}

/**
 * The digest of what a stage handed on, which its dependants' fingerprints
 * include: a stage that runs again and hands on the same values and file
 * contents leaves its dependants up to date (early cut-off).
 */
export async function digestHandedOn(
  outputs: Readonly<Record<string, string>>,
  exported: StageExports | undefined,
  declared: readonly string[],
  cwd: string,
  hasher: FileHasher,
): Promise<HandedOn> {
  const files: Record<string, RecordedFile> = {};
  for (const file of await matchFiles(declared, cwd)) {
    const hashed = hasher.hash(path.join(cwd, file));
    if (hashed !== undefined) files[file] = hashed;
  }
  const values = Object.keys(outputs)
    .sort()
    .map((name) => [name, outputs[name]]);
  const fileHashes = Object.keys(files).map((file) => [file, files[file]?.hash]);
  const digest = createHash('sha256')
    .update(JSON.stringify([values, exported ?? null, fileHashes]))
    .digest('hex');
  return { digest, files };
}
