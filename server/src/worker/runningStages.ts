/**
 * The worker's record of the stages it runs, one file per job under
 * `<workDir>/running/`, so a worker started after a killed one can end what
 * the killed one left behind (its reaper normally does; this catches what a
 * killed reaper could not).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { StageProcess } from '../process/spawnStage';
import { PROCESS_TOKEN_VARIABLE } from '../process/spawnStage';
import { isProcessAlive, processesWithEnvironmentEntry } from '../process/processTree';

interface RunningRecord {
  readonly jobId: string;
  readonly pgid: number;
  readonly token: string;
}

function recordFile(workDir: string, jobId: string): string {
  return path.join(workDir, 'running', `${jobId}.json`);
}

/** Records that the job's stage runs (its process group and token). */
export async function noteRunning(
  workDir: string,
  jobId: string,
  stage: StageProcess,
): Promise<void> {
  if (stage.pid === undefined) return;
  const record: RunningRecord = { jobId, pgid: stage.pid, token: stage.processToken };
  await fs.mkdir(path.join(workDir, 'running'), { recursive: true, mode: 0o700 });
  await fs.writeFile(recordFile(workDir, jobId), JSON.stringify(record), { mode: 0o600 });
}

/** Forgets the job's stage once it ended. */
export async function forgetRunning(workDir: string, jobId: string): Promise<void> {
  await fs.rm(recordFile(workDir, jobId), { force: true });
}

/**
 * Ends every process a previous worker in `workDir` left running (found by
 * the token in their environment and by process group) and forgets them.
 * Returns what it reaped, per job, for the worker to print.
 */
export async function reapOrphans(
  workDir: string,
): Promise<{ jobId: string; processes: number }[]> {
  const dir = path.join(workDir, 'running');
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const reaped: { jobId: string; processes: number }[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    let record: RunningRecord;
    try {
      record = JSON.parse(await fs.readFile(file, 'utf8')) as RunningRecord;
    } catch {
      await fs.rm(file, { force: true });
      continue;
    }
    const found = processesWithEnvironmentEntry(
      `${PROCESS_TOKEN_VARIABLE}=${record.token}`,
      process.pid,
    );
    // By token only: the recorded process group may have been reused since.
    for (const info of found) signal(info.pid, 'SIGKILL');
    reaped.push({ jobId: record.jobId, processes: found.length });
    await fs.rm(file, { force: true });
  }
  return reaped;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    if (isProcessAlive(pid)) process.kill(pid, name);
  } catch {
    // Gone meanwhile.
  }
}
