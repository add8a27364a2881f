/** Shared set-up for process tests: temp dirs, pid files and survivor checks. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeadState, listProcesses, processStartTime } from '../../src/process/processTree';
import type { StageProcess } from '../../src/process/spawnStage';
import { waitFor } from '../helpers/waitFor';

/** A fresh temp directory, removed by the returned `dispose`. */
export function makeTempDir(): { dir: string; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'baton-process-'));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A suite's temp directory and the stages its tests started, all cleaned up after each test. */
export interface StageFixture {
  /** The current test's temp directory. */
  readonly dir: string;
  /** Registers a stage so it is killed after the test, even when an assertion failed; returns it. */
  track<T extends StageProcess>(stage: T): T;
}

/**
 * Registers mocha hooks giving each test a fresh temp directory and killing
 * every stage it tracked afterwards, so a failed assertion leaves no process behind.
 */
export function useStageFixture(): StageFixture {
  let temp: ReturnType<typeof makeTempDir> | undefined;
  const started: StageProcess[] = [];
  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((stage) => stage.kill({ graceMs: 100 })));
    temp?.dispose();
  });
  return {
    get dir(): string {
      if (temp === undefined) throw new Error('useStageFixture: no test is running');
      return temp.dir;
    },
    track<T extends StageProcess>(stage: T): T {
      started.push(stage);
      return stage;
    },
  };
}

/** The environment every test stage gets: this process's, so `python3` and `setsid` are found. */
export function testEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  return { ...env, ...extra };
}

/** A process a stage wrote to a pid file, with its start time to survive pid reuse. */
export interface RecordedProcess {
  readonly pid: number;
  readonly startTime: number;
}

/** Waits until `file` holds `count` pids (one per line) and returns them with their start times. */
export async function readPids(file: string, count: number): Promise<RecordedProcess[]> {
  const pids = await waitFor(`${count} pids in ${file}`, () => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    const found = text.split('\n').filter((line) => /^\d+$/.test(line));
    return found.length >= count ? found.map(Number) : undefined;
  });
  return pids.map((pid) => {
    const startTime = processStartTime(pid);
    if (startTime === undefined) throw new Error(`process ${pid} from ${file} is already gone`);
    return { pid, startTime };
  });
}

/** The processes of `recorded` that are still alive (same pid and start time, not a zombie). */
export function survivors(recorded: readonly RecordedProcess[], pgid?: number): number[] {
  const alive = listProcesses().filter((p) => !isDeadState(p.state));
  const found = alive.filter(
    (p) => recorded.some((r) => r.pid === p.pid && r.startTime === p.startTime) || p.pgid === pgid,
  );
  return found.map((p) => p.pid);
}
