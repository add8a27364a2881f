import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { batonArgs, chainPipelineYaml } from '../baton';
import { preciseNow } from '../clock';
import { killGroup, runChecked, runCommand } from '../processes';
import type { ScenarioOutcome } from '../results';
import type { BenchContext, Scenario } from '../scenario';
import { repetitions } from '../scenario';
import { shellQuote } from '../stageScripts';
import { median, summarize } from '../stats';

const CHAIN_LENGTH = 1000;
const KILL_AT = 500;
const TARGET_MS = 200;
/** After the resumed run passes the kill point by this many stages, every rerun has shown. */
const WATCH_PAST = 5;

/** A line of the side file: which stage started, and when (epoch ms). */
interface StageStart {
  readonly stage: string;
  readonly index: number;
  readonly at: number;
}

function readStarts(file: string): StageStart[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line) => {
      const match = /^s(\d+) (\d+)$/.exec(line);
      if (match?.[1] === undefined || match[2] === undefined) return [];
      return [{ stage: `s${match[1]}`, index: Number(match[1]), at: Number(match[2]) / 1e6 }];
    });
}

/** Polls the side file until `done` holds or the deadline passes. */
async function waitForStarts(
  file: string,
  done: (starts: StageStart[]) => boolean,
  timeoutMs: number,
): Promise<StageStart[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const starts = readStarts(file);
    if (done(starts)) return starts;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting in ${file} (${starts.length} stage starts)`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function startBaton(stateDir: string, args: readonly string[], cwd: string): ChildProcess {
  return spawn(process.execPath, batonArgs(stateDir, args), {
    cwd,
    detached: true,
    stdio: 'ignore',
  });
}

function exitOf(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

interface KilledRun {
  readonly runId: string;
  readonly stateCopy: string;
  readonly succeeded: ReadonlySet<string>;
}

/** Runs the chain until stage KILL_AT starts, kills the engine with SIGKILL and keeps a copy of its state. */
async function killedRun(
  context: BenchContext,
  pipeline: string,
  side: string,
): Promise<KilledRun> {
  const stateDir = path.join(context.workDir, 'state');
  const engine = startBaton(stateDir, ['run', pipeline, '--yes'], context.workDir);
  await waitForStarts(side, (starts) => starts.some((s) => s.index >= KILL_AT), 300_000);
  process.kill(engine.pid ?? 0, 'SIGKILL');
  await exitOf(engine);
  const runId = readdirSync(path.join(stateDir, 'runs'))[0];
  if (runId === undefined) throw new Error('the killed run left no run directory');
  const stateCopy = path.join(context.workDir, 'state-at-kill');
  cpSync(stateDir, stateCopy, { recursive: true });
  const status = await runChecked(
    process.execPath,
    batonArgs(stateCopy, ['status', runId, '--json']),
    { keepChars: 16 * 2 ** 20 },
  );
  const snapshot = JSON.parse(status.stdout) as { stages: { id: string; status: string }[] };
  const succeeded = new Set(
    snapshot.stages.filter((s) => s.status === 'succeeded').map((s) => s.id),
  );
  context.log(`killed the engine at stage ${KILL_AT}: ${succeeded.size} stages had succeeded`);
  return { runId, stateCopy, succeeded };
}

/** Restores the state at the kill, resumes, and measures the time to the next stage start and the reruns. */
async function resumeOnce(
  context: BenchContext,
  killed: KilledRun,
  side: string,
  rep: number,
): Promise<{ ms: number; reruns: number }> {
  const stateDir = path.join(context.workDir, `resume${rep}`);
  cpSync(killed.stateCopy, stateDir, { recursive: true });
  writeFileSync(side, '');
  const started = preciseNow();
  const resumer = startBaton(stateDir, ['resume', killed.runId, '--yes'], context.workDir);
  try {
    const lastSucceeded = Math.max(...[...killed.succeeded].map((id) => Number(id.slice(1))));
    const starts = await waitForStarts(
      side,
      (all) => all.some((s) => s.index > lastSucceeded + WATCH_PAST),
      120_000,
    );
    const first = starts[0];
    if (first === undefined) throw new Error('no stage started after the resume');
    const reruns = new Set(starts.filter((s) => killed.succeeded.has(s.stage)).map((s) => s.stage))
      .size;
    return { ms: first.at - started, reruns };
  } finally {
    killGroup(resumer);
    await exitOf(resumer);
    rmSync(stateDir, { recursive: true, force: true });
  }
}

async function cliStartupMs(): Promise<number> {
  const times: number[] = [];
  for (let rep = 0; rep < 3; rep++)
    times.push((await runCommand(process.execPath, batonArgs('/tmp', ['--version']))).elapsedMs);
  return median(times);
}

async function run(context: BenchContext): Promise<ScenarioOutcome> {
  const side = path.join(context.workDir, 'starts.txt');
  const pipeline = path.join(context.workDir, 'long.pipeline.yaml');
  const stamp = `printf '%s %s\\n' "$BATON_STAGE" "$(date +%s%N)" >> ${shellQuote(side)}`;
  writeFileSync(pipeline, chainPipelineYaml('long chain', CHAIN_LENGTH, stamp));
  const killed = await killedRun(context, pipeline, side);
  const reps = repetitions(context, 5, 3);
  const times: number[] = [];
  const reruns: number[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const outcome = await resumeOnce(context, killed, side, rep);
    times.push(outcome.ms);
    reruns.push(outcome.reruns);
    context.log(
      `resume ${rep + 1}/${reps}: next stage after ${outcome.ms.toFixed(0)} ms, ${outcome.reruns} reruns`,
    );
  }
  const startup = await cliStartupMs();
  const time = summarize(times);
  const rerun = summarize(reruns);
  return {
    rows: [
      {
        key: 'resume_ms',
        unit: 'ms',
        baton: time,
        target: `≤ ${TARGET_MS} ms`,
        met: time.median <= TARGET_MS,
        note: `a ${CHAIN_LENGTH}-stage chain, the engine killed with SIGKILL once stage ${KILL_AT} started; from spawning \`baton resume --yes\` to the next stage's start (its own time stamp); \`baton --version\` alone takes ${startup.toFixed(0)} ms`,
      },
      {
        key: 'resume_reruns',
        unit: 'stages',
        baton: rerun,
        target: '0',
        met: rerun.max === 0,
        note: `stages the engine had recorded as succeeded before the kill that started again (from the stages' own side file)`,
      },
    ],
  };
}

/** `resume_ms` / `resume_reruns`: a 1,000-stage chain killed near stage 500, then `baton resume`. */
export const resumeScenario: Scenario = {
  key: 'resume_ms',
  title: `a ${CHAIN_LENGTH}-stage chain killed with SIGKILL near stage ${KILL_AT}, then baton resume`,
  run,
};
