/**
 * The remote chaos campaign: a pipeline whose stages run on a bullmq queue
 * served by two real `baton worker` processes and a real Redis, while the
 * orchestrator (`baton run`, then `baton resume`) and the workers are killed
 * with SIGKILL at random moments. At the end the run has succeeded, no stage
 * ran again after the attempt the run recorded as its success, that attempt
 * started once, and its log holds every line the stage printed, once, in order.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../src/engine/engine';
import { StatePaths } from '../../src/store/paths';
import { startTestRedis } from '../helpers/redisServer';
import type { TestRedis } from '../helpers/redisServer';
import { startTestWorker } from '../helpers/workerProcess';
import type { TestWorker } from '../helpers/workerProcess';
import { createRandom, seedFromEnvironment } from '../reliability/harness/random';
import { chaosLog, describeChaos, reportFigures } from './chaosReport';

const KILLS = Number(process.env.BATON_CHAOS_REMOTE_KILLS ?? 12);
const STAGES = 8;
const LINES = 50;
const BATON = path.resolve(__dirname, '..', '..', '..', 'bin', 'baton.js');

describeChaos('chaos: remote campaign (kill -9 of orchestrator and workers)', function () {
  let redis: TestRedis | undefined;
  let workspace = '';
  const workers = new Map<string, TestWorker>();
  let orchestrator: ChildProcess | undefined;

  before(async function () {
    redis = await startTestRedis(this);
  });
  after(async () => {
    await redis?.dispose();
  });
  beforeEach(async () => {
    workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'baton-chaos-remote-'));
  });
  afterEach(async () => {
    await kill(orchestrator);
    await Promise.all([...workers.values()].map((worker) => worker.stop('SIGKILL')));
    workers.clear();
    await fs.rm(workspace, { recursive: true, force: true });
  });

  it(`survives ${KILLS} kills: 0 succeeded stages re-run, 0 lost or doubled lines`, async () => {
    const seed = seedFromEnvironment(20261204);
    const random = createRandom(seed);
    const url = redis?.url ?? '';
    const file = await writeRemotePipeline(workspace);
    const stateDir = path.join(workspace, '.baton');
    const startWorker = async (name: string): Promise<void> => {
      const workDir = path.join(workspace, 'workers', name);
      workers.set(name, await startTestWorker({ url, name, workDir, concurrency: 2 }));
    };
    await startWorker('w1');
    await startWorker('w2');
    const cli = (args: string[]): ChildProcess =>
      spawn(process.execPath, [BATON, '--state-dir', stateDir, '--redis', url, ...args], {
        cwd: workspace,
        stdio: 'ignore',
      });
    // Before the run exists (killed that early), starting again is a new run; after, a resume.
    const again = (id: string): ChildProcess =>
      cli(id === '' ? ['run', '-y', file] : ['resume', '-y', id]);
    orchestrator = cli(['run', '-y', file]);
    let kills = 0;
    let runId = '';
    for (let round = 0; round < KILLS * 3 && kills < KILLS; round++) {
      const exited = await exitWithin(orchestrator, random.int(300, 1500));
      runId ||= await newestRun(stateDir);
      if (exited !== undefined) {
        if (exited === 0) break;
        orchestrator = again(runId);
        continue;
      }
      kills += 1;
      if (random.chance(0.5)) {
        chaosLog(`kill ${kills}: the orchestrator`);
        await kill(orchestrator);
        runId ||= await newestRun(stateDir);
        orchestrator = again(runId);
      } else {
        const name = random.chance(0.5) ? 'w1' : 'w2';
        chaosLog(`kill ${kills}: worker ${name}`);
        await workers.get(name)?.stop('SIGKILL');
        await startWorker(name);
      }
    }
    let code = await exitWithin(orchestrator, 120_000);
    for (let extra = 0; code !== 0 && extra < 5; extra++) {
      orchestrator = again(runId);
      code = await exitWithin(orchestrator, 120_000);
    }
    const figures = await check(stateDir, workspace, runId);
    await reportFigures('remoteCampaign', { seed, kills, ...figures });
    assert.equal(code, 0, 'the run ends succeeded');
    assert.ok(kills >= Math.min(KILLS, 6), `only ${kills} kills happened before the run ended`);
    assert.deepEqual(figures, { rerunAfterSuccess: 0, successStartedTwice: 0, badLogs: 0 });
  });
});

async function writeRemotePipeline(dir: string): Promise<string> {
  const lines = ['executor: { type: bullmq, queue: default }', 'stages:'];
  for (let index = 0; index < STAGES; index++) {
    lines.push(
      `  s${index}:`,
      '    retry: { attempts: 20, backoff: 100ms }',
      `    run: 'echo "s${index} start $BATON_ATTEMPT" >> ${dir}/starts; for i in $(seq 1 ${LINES}); do echo "line $i"; sleep 0.02; done'`,
    );
    if (index > 0) lines.push(`    needs: [s${index - 1}]`);
  }
  const file = path.join(dir, 'remote.pipeline.yaml');
  await fs.writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

/** Counts what went wrong, stage by stage, from the run's state, the side file and the logs. */
async function check(
  stateDir: string,
  dir: string,
  runId: string,
): Promise<{ rerunAfterSuccess: number; successStartedTwice: number; badLogs: number }> {
  const state = await new Engine({ stateDir }).getRunState(runId);
  const starts = (await fs.readFile(path.join(dir, 'starts'), 'utf8')).trim().split('\n');
  const paths = new StatePaths(stateDir);
  const expected = Array.from({ length: LINES }, (_, i) => `line ${i + 1}\n`).join('');
  let rerunAfterSuccess = 0;
  let successStartedTwice = 0;
  let badLogs = 0;
  for (let index = 0; index < STAGES; index++) {
    const stage = state.stages[`s${index}`];
    if (stage?.status !== 'succeeded') continue;
    const attempts = starts
      .filter((line) => line.startsWith(`s${index} start `))
      .map((line) => Number(line.split(' ')[2]));
    if (attempts.some((attempt) => attempt > stage.attempt)) rerunAfterSuccess += 1;
    if (attempts.filter((attempt) => attempt === stage.attempt).length !== 1) {
      successStartedTwice += 1;
    }
    const log = await fs.readFile(paths.stageLogFile(runId, `s${index}`, stage.attempt), 'utf8');
    if (log !== expected) badLogs += 1;
  }
  return { rerunAfterSuccess, successStartedTwice, badLogs };
}

async function newestRun(stateDir: string): Promise<string> {
  const ids = await fs.readdir(path.join(stateDir, 'runs')).catch(() => [] as string[]);
  return ids.sort().at(-1) ?? '';
}

/** The exit code if the process exits within `ms`, else undefined (it keeps running). */
function exitWithin(child: ChildProcess, ms: number): Promise<number | undefined> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  if (child.signalCode !== null) return Promise.resolve(-1);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code ?? -1);
    });
  });
}

async function kill(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  await gone;
}
