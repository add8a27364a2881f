import type { AnswerValue, RunSelection } from '@baton/core';
import type { RunPlan } from './runPlanner';
import type * as fs from 'node:fs';
import { RecentlyUsed } from '../cache/recentlyUsed';
import { StatCheckWorker } from './statCheckWorker';
import { RACY_WINDOW_MS, signatureOf, StatWitness, statOrUndefined } from './statWitness';

/** How many plans a server keeps: one per pipeline file and selection the editor previews. */
const KEPT_PLANS = 16;

/** From how many paths a check is shared with a worker thread: below it, messages cost more than they save. */
const PARALLEL_FROM = 2000;

/** The variable that sets the racy window of kept plans, for tests that change files right after writing them. */
export const RACY_WINDOW_VARIABLE = 'BATON_RACY_WINDOW_MS';

/** What a plan was asked for, besides the files it depends on. */
export interface RememberedRequest {
  /** The pipeline file, absolute. */
  readonly file: string;
  readonly inputs?: Readonly<Record<string, AnswerValue>>;
  readonly selection: RunSelection;
}

/** A plan kept in memory with every path it looked at and the stat each had then (see `StatFields`). */
interface KeptPlan {
  readonly plan: RunPlan;
  readonly paths: readonly string[];
  readonly stats: Float64Array;
  /** How many of the paths, from the first, this thread checks; the worker checks the rest. */
  readonly mine: number;
}

/**
 * The fields of a `StatSignature` as numbers, `FIELDS` per path: kind (0
 * nothing there, 1 file, 2 directory, 3 other), size, modification and
 * change times (ms) and inode. Comparing numbers spares the hit path making
 * a string of each of ten thousand stats.
 */
const FIELDS = 5;

/** Writes `stat`'s fields at `offset` of `into`. */
function putStat(into: Float64Array, offset: number, stat: fs.Stats | undefined): void {
  if (stat === undefined) {
    into.fill(0, offset, offset + FIELDS);
    return;
  }
  into[offset] = stat.isFile() ? 1 : stat.isDirectory() ? 2 : 3;
  into[offset + 1] = stat.size;
  into[offset + 2] = stat.mtimeMs;
  into[offset + 3] = stat.ctimeMs;
  into[offset + 4] = stat.ino;
}

/** Whether `stat` has the fields kept at `offset` of `kept`. */
function sameStat(kept: Float64Array, offset: number, stat: fs.Stats | undefined): boolean {
  if (stat === undefined) return kept[offset] === 0;
  return (
    kept[offset + 4] === stat.ino &&
    kept[offset + 2] === stat.mtimeMs &&
    kept[offset + 3] === stat.ctimeMs &&
    kept[offset + 1] === stat.size &&
    kept[offset] === (stat.isFile() ? 1 : stat.isDirectory() ? 2 : 3)
  );
}

/** Whether each of this thread's paths still has the stat it had when the plan was made. */
function mineHold(kept: KeptPlan): boolean {
  const { paths, stats } = kept;
  for (let index = 0; index < kept.mine; index++) {
    if (!sameStat(stats, index * FIELDS, statOrUndefined(paths[index] as string))) return false;
  }
  return true;
}

/**
 * What a check's witness noted, as kept: each path with its stat now, or
 * undefined when one differs from its signature (it changed since the check
 * looked, so the plan is not kept).
 */
function keptOf(plan: RunPlan, witness: StatWitness): KeptPlan | undefined {
  const paths = [...witness.signatures().keys()];
  const stats = new Float64Array(paths.length * FIELDS);
  let index = 0;
  for (const [file, signature] of witness.signatures()) {
    const stat = statOrUndefined(file);
    if (signatureOf(stat) !== signature) return undefined;
    putStat(stats, index * FIELDS, stat);
    index += 1;
  }
  return { plan, paths, stats, mine: paths.length };
}

/**
 * The racy window from `BATON_RACY_WINDOW_MS` (a whole number of ms), else
 * the default two seconds. Only tests set it: they change files within
 * milliseconds of writing them.
 */
export function racyWindowOf(env: Readonly<Record<string, string | undefined>>): number {
  const text = env[RACY_WINDOW_VARIABLE];
  const value = text === undefined || text === '' ? NaN : Number(text);
  return Number.isInteger(value) && value >= 0 ? value : RACY_WINDOW_MS;
}

/**
 * The plans of the resident server (`baton/planRun`), kept in memory
 * between requests, so that the editor's check of a thousand up-to-date
 * stages costs one `stat` per path the plan looked at, and nothing else: no
 * start-up, no parsing, no reading of caches or record.
 *
 * The rules are the CLI's kept plans' (`PlanCache`), without the file: a kept
 * plan is used only for the same request (pipeline file, inputs, selection;
 * the server's build, state directory and variables are fixed for its life)
 * while every path its check looked at (`StatWitness`: the pipeline file, the
 * record's key, every `deps:` folder listed and file hashed, every recorded
 * output, the record entries and unit folders read) has the same stat (kind,
 * size, modification and change times, inode). Any difference is a miss and
 * the full check runs. A plan is not kept when the check read something no
 * stat vouches for (a recursive glob, a fan-out listing), saw a path changed
 * within the racy window before it started, or warned (a damaged record
 * entry, whose warning must be shown each time).
 */
export class PlanMemory {
  private readonly worker = new StatCheckWorker();
  private readonly kept = new RecentlyUsed<string, KeptPlan>(KEPT_PLANS, (key) =>
    this.worker.forget(key),
  );

  /**
   * @param racyWindowMs how recent a change makes a path's stat untrustworthy (see `StatWitness`)
   * @param parallelFrom from how many paths a plan's check is shared with a worker thread (`StatCheckWorker`)
   */
  constructor(
    private readonly racyWindowMs: number = RACY_WINDOW_MS,
    private readonly parallelFrom: number = PARALLEL_FROM,
  ) {}

  /**
   * The plan for `request`: the kept one when nothing it depended on
   * changed, else `check`'s, made with the witness given to it and kept when
   * the witness allows.
   */
  async plan(
    request: RememberedRequest,
    check: (witness: StatWitness) => Promise<RunPlan>,
  ): Promise<RunPlan> {
    const key = JSON.stringify([request.file, request.inputs ?? {}, request.selection]);
    const kept = this.kept.get(key);
    this.kept.delete(key);
    if (kept !== undefined && (await this.stillHolds(key, kept))) {
      // Set again: the most recently used.
      this.kept.set(key, kept);
      return kept.plan;
    }
    // Created before the check looks at anything: paths changed just before are not trusted.
    const witness = new StatWitness(Date.now(), this.racyWindowMs);
    const plan = await check(witness);
    const keeping =
      witness.refused === undefined && plan.warnings.length === 0
        ? keptOf(plan, witness)
        : undefined;
    if (keeping !== undefined) {
      this.kept.set(key, this.shared(key, keeping));
    } else if (kept !== undefined) {
      this.worker.forget(key);
    }
    return plan;
  }

  /** Forgets every kept plan. */
  clear(): void {
    for (const key of this.kept.keys()) this.worker.forget(key);
    this.kept.clear();
  }

  /**
   * Whether every path of `kept` still has its stat: the worker checks its
   * share while this thread checks the rest.
   */
  private async stillHolds(key: string, kept: KeptPlan): Promise<boolean> {
    const theirs = kept.mine < kept.paths.length ? this.worker.check(key) : undefined;
    const mine = mineHold(kept);
    return (theirs === undefined || (await theirs)) && mine;
  }

  /** `kept` with its second half given to the worker, when it is large enough to gain by it. */
  private shared(key: string, kept: KeptPlan): KeptPlan {
    const { paths, stats } = kept;
    if (paths.length < this.parallelFrom || !this.worker.usable) {
      this.worker.forget(key);
      return kept;
    }
    const mine = Math.ceil(paths.length / 2);
    this.worker.keep(key, paths.slice(mine), stats.slice(mine * FIELDS));
    return { ...kept, mine };
  }
}
