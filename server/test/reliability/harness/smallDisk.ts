/**
 * A state directory on a tiny tmpfs, so writes fail with ENOSPC for real.
 * Mounting needs root (or CAP_SYS_ADMIN); `mountSmallDisk` says when the
 * machine does not allow it, and the tests skip then (fail under CI).
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { skipOrFailWithout, TMPFS_FIX } from '../../helpers/capability';

/** Mounts a tmpfs of `size` (e.g. `256k`) on `dir`; returns false when this machine does not allow it. */
export function mountSmallDisk(dir: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], {
      stdio: 'ignore',
    });
    return true;
  } catch {
    return false;
  }
}

/** Grows (or shrinks) the tmpfs mounted on `dir`. */
export function resizeSmallDisk(dir: string, size: string): void {
  execFileSync('mount', ['-o', `remount,size=${size}`, dir], { stdio: 'ignore' });
}

/** Unmounts `dir` if something is mounted there (lazily, so a lingering reader cannot block it). */
export function unmountSmallDisk(dir: string): void {
  try {
    execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
  } catch {
    // Nothing mounted.
  }
}

/**
 * A pipeline whose second stage fills the state directory's disk (as another
 * program on the machine might), followed by a chain of `chain` stages, so
 * the engine has to record many events on a full disk. Every stage appends
 * `<stage> <attempt>` to `side` (outside the state directory).
 */
export async function writeFillingPipeline(
  workspace: string,
  stateDir: string,
  side: string,
  chain: number,
): Promise<string> {
  const record = 'echo "$BATON_STAGE $BATON_ATTEMPT" >> "$SIDE"';
  const filler = path.join(stateDir, 'filler');
  const lines = [
    'name: full',
    `env: { SIDE: ${JSON.stringify(side)}, FILLER: ${JSON.stringify(filler)} }`,
    'stages:',
    `  first: { run: ${JSON.stringify(`${record}; echo hello`)} }`,
    // cat stops with ENOSPC once the disk is full; the stage itself succeeds.
    `  fill: { needs: [first], run: ${JSON.stringify(`${record}; cat /dev/zero > "$FILLER" 2>/dev/null; echo filled`)} }`,
  ];
  let previous = 'fill';
  for (let index = 1; index <= chain; index++) {
    lines.push(
      `  c${index}: { needs: [${previous}], run: ${JSON.stringify(`${record}; echo c${index}`)} }`,
    );
    previous = `c${index}`;
  }
  const file = path.join(workspace, 'full.pipeline.yaml');
  await fs.writeFile(file, `${lines.join('\n')}\n`);
  return filler;
}

/** A temp workspace whose `state` directory sits on a small tmpfs, made afresh for each test. */
export interface SmallDiskWorkspace {
  /** The temp dir of the current test. */
  readonly workspace: string;
  /** `<workspace>/state`, on the small disk. */
  readonly stateDir: string;
}

/**
 * Registers mocha hooks that give every test of the suite a fresh
 * workspace with its state directory on a tmpfs of `size`; a test is
 * skipped where mounting is not allowed (and fails under CI, see capability.ts). Read the fields inside tests.
 */
export function useSmallDiskWorkspace(size: string): SmallDiskWorkspace {
  const current = { workspace: '', stateDir: '' };
  beforeEach(async function () {
    current.workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'baton-full-'));
    current.stateDir = path.join(current.workspace, 'state');
    await fs.mkdir(current.stateDir);
    if (!mountSmallDisk(current.stateDir, size)) {
      skipOrFailWithout(this, `mount -t tmpfs (size=${size}) for the disk-full tests`, TMPFS_FIX);
    }
  });
  afterEach(async () => {
    unmountSmallDisk(current.stateDir);
    await fs.rm(current.workspace, { recursive: true, force: true });
  });
  return current;
}
