/**
 * A remote stage's stop that cannot reach Redis outlives the orchestrator
 * that asked it: a real `baton run` gives up on a stopped Redis and exits;
 * its stop is kept in the run's folder and a courier it started delivers it
 * when Redis is back, so the worker ends the stage's whole tree.
 * Real Redis (stopped and started by pid), a real worker, a real `baton run`.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs, readdirSync, readFileSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { pendingStopFile } from '../../src/executor/bullmq/pendingStops';
import { BATON_BIN, startBaton } from '../helpers/batonProcess';
import { waitFor, writePipeline } from '../engine/helpers';
import { useBullmqFixture } from './bullmqFixture';

describe('bullmq executor: a stop kept while Redis is unreachable', function () {
  this.timeout(90_000);
  const fx = useBullmqFixture();

  for (const how of [
    'gives up',
    'is told to stop (baton stop)',
    'gives up and whose courier is killed',
  ] as const) {
    it(`an orchestrator that ${how} while Redis is away, and exits: a courier delivers the stop when Redis is back, and the tree ends`, async () => {
      await fx.worker('w1');
      const { dir } = fx;
      const shellPid = path.join(dir, 'shell.pid');
      const childPid = path.join(dir, 'child.pid');
      const file = await writePipeline(
        dir,
        'p',
        `
executor: { type: bullmq, queue: default }
stages:
  stuck:
    run: |
      echo $$ > ${shellPid}
      sleep 600 &
      echo $! > ${childPid}
      echo before
      while true; do sleep 0.05; done
`,
      );
      const orchestrator = spawn(
        process.execPath,
        [
          BATON_BIN,
          '--state-dir',
          path.join(dir, '.baton'),
          '--redis',
          fx.redis.url,
          'run',
          '-y',
          file,
        ],
        { stdio: 'ignore', env: { ...process.env, BATON_EXECUTOR_UNREACHABLE_LIMIT_MS: '1500' } },
      );
      const exited = new Promise<number | null>((resolve) =>
        orchestrator.once('exit', (code) => resolve(code)),
      );
      const runsDir = path.join(dir, '.baton', 'runs');
      let runId = '';
      await waitFor('the stage to run', async () => {
        runId = (await fs.readdir(runsDir).catch(() => [] as string[]))[0] ?? '';
        const log = runId === '' ? '' : await readText(fx.paths().stageLogFile(runId, 'stuck', 1));
        return log.includes('before');
      });
      const pids = [Number(await readText(shellPid)), Number(await readText(childPid))];
      const stopFile = pendingStopFile(fx.paths().runDir(runId), `${runId}.stuck.1`);
      await fx.redis.stop();
      let courier: number | undefined;
      try {
        if (how !== 'gives up') {
          const stop = startBaton(dir, ['--state-dir', path.join(dir, '.baton'), 'stop', runId]);
          assert.equal(await stop.done, 0, stop.output());
        }
        assert.equal(await exited, 1, 'the run ended and baton run exited');
        const exitedEvent = (await readText(fx.paths().eventLogFile(runId)))
          .split('\n')
          .find((line) => line.includes('"stageExited"'));
        const error = (JSON.parse(exitedEvent ?? '{}') as { error?: string }).error ?? '';
        assert.match(error, /unreachable since .*longer than the limit of 1500 ms/);
        assert.ok(
          error.endsWith(
            `; its stop is kept in ${stopFile} until Redis is back, then its worker ends the stage's processes`,
          ),
          error,
        );
        assert.ok(await exists(stopFile), 'the stop is kept on disk');
        courier = courierOf(stopFile);
        assert.notEqual(courier, undefined, 'a courier waits for Redis');
        if (how === 'gives up and whose courier is killed') {
          courier = await courierStartedAgain(dir, fx.redis.url, stopFile, courier ?? 0);
        }
        assert.ok(pids.every(isAlive), 'nothing reached the worker while Redis was away');
        await fx.redis.restart();
        await waitFor('the stage tree to end on the worker', () => !pids.some(isAlive));
        await waitFor('the stop to be delivered', async () => !(await exists(stopFile)));
        const runLog = await readText(fx.paths().runLogFile(runId));
        assert.match(
          runLog,
          /stop of stage stuck \(attempt 1, asked at [\d:]+\) reached Redis at [\d:]+ /,
        );
        const gone = courier ?? 0;
        await waitFor('the courier to exit', () => !isAlive(gone));
        assert.match(await readText(fx.paths().stageLogFile(runId, 'stuck', 1)), /^before\n/);
      } finally {
        if (!(await canReach(fx.redis.port))) await fx.redis.restart();
        for (const pid of [...pids, ...(courier === undefined ? [] : [courier])]) kill(pid);
      }
    });
  }
});

/**
 * Kills the courier of `stopFile` (a machine restarting while Redis is away)
 * and runs a later, unrelated `baton run` with the same Redis configured: it
 * starts a courier for the kept stop again, and a second one does not start
 * another while that courier lives. Returns the new courier's pid.
 */
async function courierStartedAgain(
  dir: string,
  redisUrl: string,
  stopFile: string,
  dead: number,
): Promise<number> {
  kill(dead);
  await waitFor('the courier to die', () => !isAlive(dead));
  assert.ok(await exists(stopFile), 'the stop outlives its courier');
  const later = await writePipeline(dir, 'later', 'stages:\n  hello:\n    run: echo hello\n');
  const runLater = async (): Promise<void> => {
    const args = ['--state-dir', path.join(dir, '.baton'), '--redis', redisUrl, 'run', '-y', later];
    const run = startBaton(dir, args);
    assert.equal(await run.done, 0, run.output());
  };
  await runLater();
  await waitFor('a courier started again', () => couriersOf(stopFile).length === 1);
  await runLater();
  assert.equal(couriersOf(stopFile).length, 1, 'no second courier while the first lives');
  return couriersOf(stopFile)[0] ?? 0;
}

/** The pid of the courier process delivering `file`, found by its command line. */
function courierOf(file: string): number | undefined {
  return couriersOf(file)[0];
}

/** The pids of every courier process delivering `file`. */
function couriersOf(file: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      if (argv.includes('deliver-stops') && argv.includes(file) && isAlive(Number(name))) {
        pids.push(Number(name));
      }
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

async function exists(file: string): Promise<boolean> {
  return (await fs.stat(file).catch(() => undefined)) !== undefined;
}

function readText(file: string): Promise<string> {
  return fs.readFile(file, 'utf8').catch(() => '');
}

function isAlive(pid: number): boolean {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function canReach(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
