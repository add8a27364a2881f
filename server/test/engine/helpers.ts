import { promises as fs, readdirSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../src/engine/engine';

/** Waits until `predicate` holds, checking every 20 ms; fails after `timeoutMs` with `what`. */
export async function waitFor(
  what: string,
  predicate: () => boolean | Promise<boolean>,
  timeoutMs = 15000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A fresh temporary directory. */
export async function tempDir(prefix: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `baton-${prefix}-`));
}

/** Writes a pipeline file into `dir` and returns its path. */
export async function writePipeline(dir: string, name: string, yaml: string): Promise<string> {
  const file = path.join(dir, `${name}.pipeline.yaml`);
  await fs.writeFile(file, yaml);
  return file;
}

/** The executable name of a process (`comm`), or undefined when it is gone. */
export function commandName(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Pids of live processes whose environment holds `BATON_RUN_ID=<runId>`. */
export function processesOfRun(runId: string): number[] {
  const needle = Buffer.from(`\0BATON_RUN_ID=${runId}\0`);
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (/\) Z /.test(stat)) continue;
      const environ = Buffer.concat([Buffer.from([0]), readFileSync(`/proc/${name}/environ`)]);
      if (environ.includes(needle)) pids.push(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** Every file under `dir`, recursively, with its text. */
export async function readTree(dir: string): Promise<{ file: string; text: string }[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  return Promise.all(files.map(async (file) => ({ file, text: await fs.readFile(file, 'utf8') })));
}

/** A temp workspace and the engines a test made in it, cleaned up after each test. */
export interface EngineFixture {
  /** The current test's temp workspace. */
  readonly dir: string;
  /** A new engine on `<dir>/.baton` with fast test settings, interrupted after the test. */
  newEngine(): Engine;
}

/**
 * Registers mocha hooks that give each test a fresh temp workspace and
 * interrupt every engine it made, then remove the workspace.
 */
export function useEngineFixture(prefix: string): EngineFixture {
  let dir = '';
  let engines: Engine[] = [];
  beforeEach(async () => {
    dir = await tempDir(prefix);
    engines = [];
  });
  afterEach(async () => {
    await Promise.all(engines.map((engine) => engine.interruptAll('test over')));
    await fs.rm(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir;
    },
    newEngine() {
      const engine = new Engine({
        stateDir: path.join(dir, '.baton'),
        settings: { killGraceMs: 300, bareInputSilenceMs: 300, progressIntervalMs: 20 },
        defaultConcurrency: 4,
      });
      engines.push(engine);
      return engine;
    },
  };
}
