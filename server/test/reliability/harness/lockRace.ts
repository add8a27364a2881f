/**
 * Two `baton run` processes started at the same moment on the same pipeline.
 * The stage records `start <runId>` in a side file and then waits for a
 * release file, so a second run that got past the lock would show up as a
 * second `start` while the first still runs.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { waitFor } from '../../helpers/waitFor';
import { describeResult, startBaton } from './cli';
import type { BatonProcess, BatonResult } from './cli';

/** The race's files. */
export interface RaceFiles {
  readonly workspace: string;
  readonly pipelineFile: string;
  readonly side: string;
  readonly release: string;
}

/** Writes the race pipeline with the given overlap policy. */
export async function writeRacePipeline(
  workspace: string,
  overlap: 'skip' | 'queue',
): Promise<RaceFiles> {
  const side = path.join(workspace, 'starts.txt');
  const release = path.join(workspace, 'release');
  const run = `echo "start $BATON_RUN_ID" >> "$SIDE"; while [ ! -e "$RELEASE" ]; do sleep 0.02; done; echo "end $BATON_RUN_ID" >> "$SIDE"`;
  const yaml = [
    'name: race',
    `schedule: { cron: "0 3 * * *", overlap: ${overlap} }`,
    `env: { SIDE: ${JSON.stringify(side)}, RELEASE: ${JSON.stringify(release)} }`,
    'stages:',
    `  only: { run: ${JSON.stringify(run)} }`,
    '',
  ].join('\n');
  const pipelineFile = path.join(workspace, 'race.pipeline.yaml');
  await fs.writeFile(pipelineFile, yaml);
  return { workspace, pipelineFile, side, release };
}

async function sideLines(files: RaceFiles): Promise<string[]> {
  try {
    return (await fs.readFile(files.side, 'utf8')).split('\n').filter((line) => line !== '');
  } catch {
    return [];
  }
}

function hasExited(process: BatonProcess): boolean {
  return process.child.exitCode !== null || process.child.signalCode !== null;
}

/** What happened in a round with the `skip` policy. */
export interface SkipRound {
  readonly winner: BatonProcess;
  readonly loser: BatonResult;
}

/**
 * One `skip` round: both start; exactly one must be refused while the other
 * runs its stage, and no second stage may start. Returns the winner, still
 * running (its stage waits for the release file).
 */
export async function raceSkipRound(files: RaceFiles): Promise<SkipRound> {
  await fs.rm(files.release, { force: true });
  const startsBefore = (await sideLines(files)).filter((l) => l.startsWith('start')).length;
  const both = [0, 1].map(() => startBaton(files.workspace, ['run', files.pipelineFile, '--yes']));
  const exited = await waitFor(
    'one of the two runs to be refused',
    async () => {
      const starts = (await sideLines(files)).filter((l) => l.startsWith('start')).length;
      if (starts - startsBefore > 1) throw new Error('two runs of the pipeline started at once');
      return both.find(hasExited);
    },
    { timeoutMs: 20_000 },
  );
  const loser = await exited.done;
  const winner = both.find((p) => p !== exited);
  assert.ok(winner);
  assert.equal(loser.code, 1, describeResult(loser));
  assert.match(loser.stderr, /already running \(pid \d+/, describeResult(loser));
  await waitFor('the winner to start its stage', async () => {
    const starts = (await sideLines(files)).filter((l) => l.startsWith('start')).length;
    return starts - startsBefore === 1;
  });
  return { winner, loser };
}

/** Ends a round by letting the winner's stage finish; it must succeed. */
export async function releaseWinner(files: RaceFiles, winner: BatonProcess): Promise<BatonResult> {
  await fs.writeFile(files.release, '');
  const result = await winner.done;
  assert.equal(result.code, 0, describeResult(result));
  return result;
}

/**
 * One `queue` round: both start and both succeed, one after the other:
 * the side file reads start, end, start, end.
 */
export async function raceQueueRound(files: RaceFiles): Promise<void> {
  await fs.rm(files.release, { force: true });
  await fs.rm(files.side, { force: true });
  const both = [0, 1].map(() => startBaton(files.workspace, ['run', files.pipelineFile, '--yes']));
  await waitFor('a first stage to start', async () => (await sideLines(files)).length >= 1, {
    timeoutMs: 20_000,
  });
  await waitFor('the other run to queue', () =>
    both.some((p) => /waiting for run \S+ of race to finish/.test(p.output())),
  );
  await fs.writeFile(files.release, '');
  const results = await Promise.all(both.map((p) => p.done));
  for (const result of results) assert.equal(result.code, 0, describeResult(result));
  const kinds = (await sideLines(files)).map((line) => line.split(' ')[0]);
  assert.deepEqual(kinds, ['start', 'end', 'start', 'end']);
}
