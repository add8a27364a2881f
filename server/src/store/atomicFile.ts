/**
 * Crash-safe file writes. A reader (or a process started after a crash, a
 * `kill -9` or a power cut) sees either the old content or the new content of
 * a file, never a mix and never an empty file.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { hasCode, toStoreError } from './storeError';

/** Mode of every file the store creates: owner read/write only. */
export const FILE_MODE = 0o600;

/** Mode of every directory the store creates: owner only. */
export const DIR_MODE = 0o700;

/** Suffix of temp files; listings of state directories skip names ending with it. */
export const TEMP_SUFFIX = '.tmp';

/** Whether a directory entry is a store temp file (hidden, `.tmp` suffix). */
export function isTempName(name: string): boolean {
  return name.startsWith('.') && name.endsWith(TEMP_SUFFIX);
}

/**
 * Creates `dir` and its missing parents with owner-only permissions. A
 * directory that exists already is found with one `stat`: a recursive
 * `mkdir` of it takes a failed `mkdir` and then a `stat`, two trips to the
 * thread pool where most calls (a log per stage attempt) find it there.
 */
export async function ensureDir(dir: string): Promise<void> {
  // Stryker disable next-line BlockStatement: without the stat, the recursive mkdir below finds an existing directory and succeeds too (the stat only saves a trip).
  try {
    if ((await fs.stat(dir)).isDirectory()) return;
  } catch {
    // Missing (or unreadable): mkdir makes it or says what is wrong.
  }
  try {
    await fs.mkdir(dir, { recursive: true, mode: DIR_MODE });
  } catch (error) {
    throw toStoreError(error, 'creating directory', dir);
  }
}

/**
 * Flushes a directory's entries to disk, so a rename or a new file in it
 * survives a power cut. File systems that cannot fsync a directory
 * (EINVAL/EISDIR/EPERM on some platforms) are tolerated: there is nothing more
 * we could do there.
 */
export async function fsyncDir(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch (error) {
    if (!hasCode(error, 'EINVAL', 'EISDIR', 'EPERM', 'EBADF')) {
      throw toStoreError(error, 'syncing directory', dir);
    }
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** A unique hidden temp name next to `target`, so a rename of it stays on one file system. */
export function tempPathFor(target: string): string {
  const name = `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`;
  return path.join(path.dirname(target), name);
}

/**
 * What a file is written from: its text or bytes, or its text in pieces
 * (written one by one, so the event loop runs between them: see `jsonPieces`).
 */
export type FileData = string | Uint8Array | Iterable<string>;

/**
 * Writes `data` to a new temp file next to `target` (mode 0600, exclusive
 * create), fsyncs it and returns its path. On failure the temp file is removed
 * and a `StoreError` naming `target` is thrown.
 */
export async function writeSyncedTemp(target: string, data: FileData): Promise<string> {
  const temp = tempPathFor(target);
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(temp, 'wx', FILE_MODE);
    if (typeof data === 'string' || data instanceof Uint8Array) await handle.writeFile(data);
    else for (const piece of data) await handle.write(piece);
    await handle.sync();
    await handle.close();
    handle = undefined;
    return temp;
  } catch (error) {
    await handle?.close().catch(() => undefined);
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: with or without force, a failing rm is swallowed by the catch after it, and one that succeeds removes the same file.
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw toStoreError(error, 'writing', target);
  }
}

/**
 * Replaces `target` with `data` atomically: temp file in the same directory,
 * write, fsync, rename over `target`, fsync the directory. The file gets mode
 * 0600. On any failure (ENOSPC, EIO, EFBIG, …) the temp file is removed, the
 * previous `target` stays intact and a `StoreError` is thrown whose message
 * says what happened ("no space left on device while writing …").
 */
export async function writeFileAtomic(target: string, data: FileData): Promise<void> {
  const temp = await writeSyncedTemp(target, data);
  try {
    await fs.rename(temp, target);
  } catch (error) {
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: with or without force, a failing rm is swallowed by the catch after it, and one that succeeds removes the same file.
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw toStoreError(error, 'writing', target);
  }
  await fsyncDir(path.dirname(target));
}

/**
 * Creates `target` with `data` only if it does not exist yet, atomically and
 * with complete content: the data is written and synced to a temp file which
 * is then hard-linked to `target` (link fails when the name is taken, and
 * unlike `open(wx)` nobody can ever see the file half-written). Returns false
 * when `target` already exists.
 */
export async function createFileExclusive(
  target: string,
  data: string | Uint8Array,
): Promise<boolean> {
  const temp = await writeSyncedTemp(target, data);
  try {
    await fs.link(temp, target);
  } catch (error) {
    if (hasCode(error, 'EEXIST')) {
      return false;
    }
    throw toStoreError(error, 'creating', target);
  } finally {
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: with or without force, a failing rm is swallowed by the catch after it, and one that succeeds removes the same file.
    await fs.rm(temp, { force: true }).catch(() => undefined);
  }
  await fsyncDir(path.dirname(target));
  return true;
}
