import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { WORKER_VARIABLE } from '../executor/bullmq/remoteJob';
import { workerBaseEnv } from '../executor/bullmq/travellingEnv';
import { layerStageEnv } from '../engine/attempt/stageEnv';
import type { FileRole, RemoteJobData, TravellingFiles } from '../executor/bullmq/remoteJob';
import {
  readSmall,
  readTravellingFiles,
  writeTravellingFiles,
} from '../executor/bullmq/travellingFiles';

/** A job's files on its worker: the worker's own copies of the attempt's files. */
export interface WorkerJobFiles {
  readonly dir: string;
  readonly output: string;
  readonly env: string;
  readonly path: string;
  readonly summary: string;
  readonly savedState: string;
  readonly stateDir: string;
}

/** Makes a job's files under `<workDir>/jobs/<jobId>/`, filled with what travelled with it. */
export async function makeJobFiles(
  workDir: string,
  jobId: string,
  travelled: TravellingFiles,
): Promise<WorkerJobFiles> {
  const dir = path.join(workDir, 'jobs', jobId);
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const files: WorkerJobFiles = {
    dir,
    output: path.join(dir, 'output'),
    env: path.join(dir, 'github-env'),
    path: path.join(dir, 'github-path'),
    summary: path.join(dir, 'summary.md'),
    savedState: path.join(dir, 'github-state'),
    stateDir: path.join(dir, 'state'),
  };
  await Promise.all([
    fs.writeFile(files.output, '', { mode: 0o600 }),
    fs.writeFile(files.env, '', { mode: 0o600 }),
    fs.writeFile(files.path, '', { mode: 0o600 }),
    writeTravellingFiles(travelled, files.summary, files.savedState, files.stateDir),
  ]);
  return files;
}

/**
 * The stage's environment on this worker: the worker's own environment
 * (without its `BATON_*` settings), what travelled with the job on top, the
 * job's directories in front of the worker's `PATH`, file variables pointed
 * at the worker's copies, secrets from the worker's own environment.
 */
export function workerEnv(
  data: RemoteJobData,
  files: WorkerJobFiles,
  ownEnv: Readonly<Record<string, string | undefined>>,
  worker: string,
): Record<string, string> {
  const env = layerStageEnv(workerBaseEnv(ownEnv), {
    env: data.env,
    pathFront: data.pathPrefix ?? [],
  });
  const places: Record<FileRole, string> = {
    output: files.output,
    env: files.env,
    path: files.path,
    summary: files.summary,
    savedState: files.savedState,
    stateDir: files.stateDir,
    runDir: files.dir,
  };
  for (const [name, role] of Object.entries(data.fileVars)) env[name] = places[role];
  for (const name of data.secretNames) {
    const value = ownEnv[name];
    if (value !== undefined) env[name] = value;
  }
  // Marks the stage's processes as a worker's, so an orchestrator on the same machine never reaps them.
  env[WORKER_VARIABLE] = worker;
  return env;
}

/** What the stage left in its files, to send back with its end. */
export async function collectJobFiles(files: WorkerJobFiles): Promise<{
  readonly output: string;
  readonly env: string;
  readonly path: string;
  readonly files: TravellingFiles;
}> {
  const [output, env, pathText, travelling] = await Promise.all([
    readSmall(files.output),
    readSmall(files.env),
    readSmall(files.path),
    readTravellingFiles(files.summary, files.savedState, files.stateDir),
  ]);
  return { output, env, path: pathText, files: travelling };
}
