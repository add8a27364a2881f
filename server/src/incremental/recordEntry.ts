import type { FingerprintParts, StageExports } from '@baton/core';
import { contentHash } from './fileHasher';

/** Format version of record entries; an entry of another version is a miss. */
export const RECORD_VERSION = 1;

/** A declared output file as the recorded success left it. */
export interface RecordedFile {
  readonly hash: string;
  readonly size: number;
}

/**
 * One recorded success of a unit (a stage; with fan-out, one item of one):
 * its fingerprint and the parts it was computed from, and everything a later
 * run needs to take it over instead of running it again.
 */
export interface RecordEntry {
  readonly version: typeof RECORD_VERSION;
  /** The unit key: a stage id, later `<stage>[<item>]`. */
  readonly unit: string;
  readonly fingerprint: string;
  readonly parts: FingerprintParts;
  readonly runId: string;
  readonly attempt: number;
  /** Epoch ms when it was recorded. */
  readonly at: number;
  /** What it wrote to `$BATON_OUTPUT`. */
  readonly outputs: Readonly<Record<string, string>>;
  readonly exported?: StageExports;
  /** The digest dependants' fingerprints include (see `StageState.digest`). */
  readonly digest: string;
  /** The files its `outputs:` matched, by path relative to its working directory. */
  readonly files: Readonly<Record<string, RecordedFile>>;
}

/** An entry as a file holds it: the entry and a hash of its text, which catches damage. */
interface StoredEntry {
  readonly check: string;
  readonly entry: string;
}

/** The text of an entry file. */
export function encodeEntry(entry: RecordEntry): string {
  const text = JSON.stringify(entry);
  const stored: StoredEntry = { check: contentHash(text), entry: text };
  return `${JSON.stringify(stored)}\n`;
}

function isTextRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}

function hasEntryShape(value: Partial<RecordEntry>): value is RecordEntry {
  const parts = value.parts;
  return (
    value.version === RECORD_VERSION &&
    typeof value.unit === 'string' &&
    typeof value.fingerprint === 'string' &&
    typeof value.runId === 'string' &&
    typeof value.attempt === 'number' &&
    typeof value.at === 'number' &&
    typeof value.digest === 'string' &&
    isTextRecord(value.outputs) &&
    typeof value.files === 'object' &&
    value.files !== null &&
    parts !== undefined &&
    typeof parts.command === 'string' &&
    typeof parts.cwd === 'string' &&
    [parts.env, parts.inputs, parts.upstream, parts.deps].every(isTextRecord)
  );
}

/**
 * Reads an entry file's text: the entry, or why it cannot be trusted (torn,
 * damaged, another version, not the entry its name says). An untrusted
 * entry is a miss, never a skip.
 */
export function decodeEntry(
  text: string,
  expected: { readonly unit: string; readonly fingerprint?: string },
): RecordEntry | { readonly damaged: string } {
  let stored: Partial<StoredEntry>;
  try {
    stored = JSON.parse(text) as Partial<StoredEntry>;
  } catch {
    return { damaged: 'it is not complete JSON (a torn or damaged write)' };
  }
  if (typeof stored.entry !== 'string' || typeof stored.check !== 'string') {
    return { damaged: 'it is not a record entry' };
  }
  if (contentHash(stored.entry) !== stored.check) {
    return { damaged: 'its content does not match its checksum' };
  }
  let entry: unknown;
  try {
    entry = JSON.parse(stored.entry);
  } catch {
    return { damaged: 'its entry is not JSON' };
  }
  return checkedEntry(entry, expected);
}

/**
 * A parsed entry if it has the shape of this format version and is the
 * entry of `expected`, else why not.
 */
export function checkedEntry(
  value: unknown,
  expected: { readonly unit: string; readonly fingerprint?: string },
): RecordEntry | { readonly damaged: string } {
  if (typeof value !== 'object' || value === null) return { damaged: 'it is not a record entry' };
  const entry = value as Partial<RecordEntry>;
  if (!hasEntryShape(entry)) return { damaged: 'it is of another format version or incomplete' };
  if (entry.unit !== expected.unit) return { damaged: `it belongs to ${entry.unit}` };
  if (expected.fingerprint !== undefined && entry.fingerprint !== expected.fingerprint) {
    return { damaged: 'its fingerprint is not the one its name says' };
  }
  return entry;
}
