/**
 * The crash campaign against the `baton` command: start a run, `kill -9` the
 * engine at a random moment, `baton resume` (killing resumes too) until the
 * run finishes, verify it, and start again until enough kills were made.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { baton, describeResult, runIdIn, startBaton } from './cli';
import type { BatonProcess, BatonResult } from './cli';
import { verifyCrashRun } from './crashChecks';
import type { CrashFiles } from './crashPipeline';
import type { Random } from './random';

/** What a campaign did; every count is also a check that passed. */
export interface CampaignFigures {
  /** Engine processes killed with SIGKILL while they were running. */
  kills: number;
  /** Runs that were driven to success and verified. */
  runs: number;
  /** Engine processes started (`baton run` and `baton resume`). */
  launches: number;
  /** `baton resume` launches, killed or not. */
  resumes: number;
  /** Runs whose last, successful launch was a `baton resume`: a kill hit them mid-run and resume finished them. */
  finishedByResume: number;
  /** Stage attempts that really ran. */
  executions: number;
  /** Attempts that finished their work but were killed before Baton recorded it, so they ran again. */
  unrecordedSuccesses: number;
  /** Lines stages saw in their logs before a kill, all still there at the end. */
  flushedLines: number;
  /** Prompts answered from another process with `baton answer`. */
  answeredByCommand: number;
  /** Starts killed so early that they left a run directory without a checkpoint. */
  runsWithoutCheckpoint: number;
}

/** Options of `runCliCampaign`. */
export interface CliCampaignOptions {
  readonly files: CrashFiles;
  readonly random: Random;
  /** Kills to make; the campaign ends with the first run finishing after that many. */
  readonly kills: number;
  /** Longest random wait before a kill, in ms. */
  readonly maxKillDelayMs: number;
  /** Progress lines (kills, verified runs), for the chaos report. */
  readonly log?: (line: string) => void;
}

/** Answers the prompts a launch without `--yes` prints, with `baton answer`. */
function answerPrompts(
  files: CrashFiles,
  launch: BatonProcess,
  figures: CampaignFigures,
): () => void {
  const answered = new Set<string>();
  let stopped = false;
  const poll = async (): Promise<void> => {
    while (!stopped) {
      for (const match of launch.output().matchAll(/baton answer (\S+) (\S+) <value>/g)) {
        const key = `${match[1]} ${match[2]}`;
        if (answered.has(key) || !match[1] || !match[2]) continue;
        answered.add(key);
        const result = await baton(files.workspace, ['answer', match[1], match[2], 'yes']);
        // The engine may have been killed meanwhile; that answer is then refused, which is fine.
        if (result.code === 0) figures.answeredByCommand++;
      }
      await delay(20);
    }
  };
  void poll();
  return () => (stopped = true);
}

async function runIds(files: CrashFiles): Promise<Set<string>> {
  try {
    return new Set(await fs.readdir(path.join(files.stateDir, 'runs')));
  } catch {
    return new Set();
  }
}

async function statusOf(files: CrashFiles, runId: string): Promise<string | undefined> {
  try {
    const text = await fs.readFile(path.join(files.stateDir, 'runs', runId, 'run.json'), 'utf8');
    return (JSON.parse(text) as { status: string }).status;
  } catch {
    return undefined;
  }
}

/**
 * The run's status as `baton status` reports it, which is what a user checks
 * after a crash: the killed engine may have logged the run's end without
 * writing `run.json` again, and resuming a finished run is refused.
 */
async function reportedStatus(files: CrashFiles, runId: string): Promise<string> {
  const shown = await baton(files.workspace, ['status', runId, '--json']);
  if (shown.code !== 0) throw new Error(`baton status ${runId} failed: ${describeResult(shown)}`);
  return (JSON.parse(shown.stdout) as { status: string }).status;
}

/** Waits for the launch to end or for `ms`; kills it in the latter case. Returns whether it was killed. */
async function killAfter(
  launch: BatonProcess,
  ms: number,
): Promise<{ killed: boolean; result: BatonResult }> {
  const ended = await Promise.race([launch.done.then(() => true), delay(ms).then(() => false)]);
  let killed = false;
  if (!ended && launch.child.exitCode === null && launch.child.signalCode === null) {
    launch.child.kill('SIGKILL');
  }
  const result = await launch.done;
  // Counted from how the process ended, not from sending the signal: one that
  // exited on its own just before the kill was not killed.
  killed = result.signal === 'SIGKILL';
  return { killed, result };
}

interface RoundState {
  runId: string | undefined;
  interactiveAtCreation: boolean;
}

/** One launch of the engine: `run` while there is no run yet, else `resume`. Returns true once the run succeeded. */
async function launchOnce(
  options: CliCampaignOptions,
  figures: CampaignFigures,
  round: RoundState,
): Promise<boolean> {
  const { files, random } = options;
  if (round.runId !== undefined && (await reportedStatus(files, round.runId)) === 'succeeded')
    return true;
  const yes = random.chance(0.6);
  const args = round.runId === undefined ? ['run', files.pipelineFile] : ['resume', round.runId];
  const before = await runIds(files);
  const launch = startBaton(files.workspace, yes ? [...args, '--yes'] : args);
  figures.launches++;
  if (args[0] === 'resume') figures.resumes++;
  const stopAnswering = yes ? () => undefined : answerPrompts(files, launch, figures);
  const { killed, result } = await killAfter(launch, random.int(0, options.maxKillDelayMs));
  stopAnswering();
  if (round.runId === undefined) {
    const created = [...(await runIds(files))].filter((id) => !before.has(id));
    const runId = created[0] ?? runIdIn(result.stdout);
    if (runId !== undefined && (await statusOf(files, runId)) !== undefined) {
      round.runId = runId;
      round.interactiveAtCreation = !yes;
    } else if (created.length > 0) {
      figures.runsWithoutCheckpoint++;
    }
  }
  if (killed) {
    figures.kills++;
    options.log?.(`kill ${figures.kills}: ${args[0]} ${round.runId ?? '(no run yet)'}`);
    return false;
  }
  if (result.code !== 0)
    throw new Error(`baton ${args.join(' ')} did not succeed: ${describeResult(result)}`);
  if (args[0] === 'resume') figures.finishedByResume++;
  return true;
}

/** Runs the campaign (see the module comment) and returns its figures. */
export async function runCliCampaign(options: CliCampaignOptions): Promise<CampaignFigures> {
  const figures: CampaignFigures = {
    kills: 0,
    runs: 0,
    launches: 0,
    resumes: 0,
    finishedByResume: 0,
    executions: 0,
    unrecordedSuccesses: 0,
    flushedLines: 0,
    answeredByCommand: 0,
    runsWithoutCheckpoint: 0,
  };
  while (figures.kills < options.kills) {
    const round: RoundState = { runId: undefined, interactiveAtCreation: false };
    while (!(await launchOnce(options, figures, round)));
    if (round.runId === undefined) throw new Error('a launch succeeded without a run id');
    const verified = await verifyCrashRun(options.files, round.runId, round.interactiveAtCreation);
    figures.runs++;
    figures.executions += verified.executions;
    figures.unrecordedSuccesses += verified.unrecordedSuccesses;
    figures.flushedLines += verified.flushedLines;
    options.log?.(`run ${round.runId} verified after ${figures.kills} kills in all`);
  }
  return figures;
}
