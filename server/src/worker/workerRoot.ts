/**
 * Where a job's stage runs on this worker. Without `--root` the worker uses
 * the orchestrator's paths as they are (the checkout sits at the same path
 * on both machines). With `--root <dir>`, the paths under the job's root
 * (the orchestrator's repository, see `stageRootOf`) are moved under `dir`:
 * the stage's folder, and every `:`-separated part of an environment value
 * that names a path under that root (`$VIRTUAL_ENV`), and the directories put
 * in front of `$PATH` (a venv's `bin`).
 */
import * as path from 'node:path';
import type { RemoteJobData } from '../executor/bullmq/remoteJob';

/** The stage's folder and environment on this worker. */
export interface PlacedStage {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** The job's directories for the front of `$PATH` (see `TravellingEnv`). */
  readonly pathPrefix?: readonly string[];
}

/** Places a job's stage under this worker's root (`undefined`: the job's own paths). */
export function placeOnWorker(data: RemoteJobData, root: string | undefined): PlacedStage {
  const from = data.root;
  const prefix = data.pathPrefix;
  if (root === undefined || from === undefined) {
    return {
      cwd: data.cwd,
      env: data.env,
      ...(prefix === undefined ? {} : { pathPrefix: prefix }),
    };
  }
  const move = (value: string): string =>
    value
      .split(':')
      .map((part) => (isUnder(part, from) ? path.join(root, path.relative(from, part)) : part))
      .join(':');
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(data.env)) env[name] = move(value);
  return {
    cwd: move(data.cwd),
    env,
    ...(prefix === undefined ? {} : { pathPrefix: prefix.map(move) }),
  };
}

function isUnder(candidate: string, root: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith('/') ? root : `${root}/`);
}
