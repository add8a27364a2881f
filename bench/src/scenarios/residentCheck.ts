import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PlanRunMethod } from '@baton/protocol';
import { runChecked } from '../processes';
import { BatonServerClient } from '../rpcClient';

/** Round trips of `baton/planRun` made per repetition of the interleaved loop. */
const ROUND_TRIPS_PER_REP = 20;

/** What a tool of the up-to-date check measures in one repetition. */
export interface CheckTool {
  readonly name: string;
  check(): Promise<number>;
}

/** The up-to-date check through a warm `baton serve --stdio`, with every round trip it timed. */
export interface ResidentCheck extends CheckTool {
  /** Every measured round trip (ms), warm-up excluded. */
  readonly samples: readonly number[];
  /** Whether every measured plan skipped all its stages. */
  readonly allSkipped: () => boolean;
  close(): Promise<void>;
}

/**
 * Starts `baton serve --stdio` on `dir` (the workspace, with the pipeline
 * file) and `stateDir` (the record the CLI made), as the editor holds it,
 * and warms it with two `baton/planRun` requests. Each `check` then makes
 * `ROUND_TRIPS_PER_REP` requests one after the other and returns their
 * median; `samples` keeps them all, for the median and p99 of the row.
 */
export async function startResidentCheck(
  dir: string,
  stateDir: string,
  file: string,
): Promise<ResidentCheck> {
  const client = await BatonServerClient.start({ workspace: dir, stateDir });
  const pipeline = path.join(dir, file);
  const samples: number[] = [];
  let skippedAll = true;
  const roundTrip = async (): Promise<number> => {
    const started = performance.now();
    const { plan } = await client.request(PlanRunMethod, { pipeline });
    const elapsed = performance.now() - started;
    if (plan.steps.some((step) => step.action !== 'skip')) skippedAll = false;
    return elapsed;
  };
  await roundTrip();
  await roundTrip();
  skippedAll = true;
  return {
    name: 'baton serve',
    samples,
    allSkipped: () => skippedAll,
    check: async () => {
      const times: number[] = [];
      for (let index = 0; index < ROUND_TRIPS_PER_REP; index++) times.push(await roundTrip());
      samples.push(...times);
      times.sort((a, b) => a - b);
      return times[Math.floor(times.length / 2)] ?? 0;
    },
    close: () => client.close(),
  };
}

/** `node -e 0`: the start-up any Node command pays before it reads a file, the CLI's floor. */
export function nodeFloorTool(): CheckTool {
  return {
    name: 'node -e 0',
    check: async () => (await runChecked(process.execPath, ['-e', '0'])).elapsedMs,
  };
}
