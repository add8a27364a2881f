/**
 * The root a remote stage's paths are relative to, so a worker whose
 * checkout sits at another path (`baton worker --root <dir>`) runs the stage
 * at the same place in its own checkout. The root is the repository that
 * holds the stage's folder (the nearest folder upward with a `.git`, a
 * directory or a worktree's file); outside a repository it is the stage's
 * folder itself.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** The root of `cwd`: its repository's top folder, or `cwd` itself outside a repository. */
export async function stageRootOf(cwd: string): Promise<string> {
  let dir = path.resolve(cwd);
  for (;;) {
    if (await exists(path.join(dir, '.git'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(cwd);
    dir = parent;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return true;
  } catch {
    return false;
  }
}
