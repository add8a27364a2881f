import type { AnswerValue, RunSelection } from '@baton/core';
import { createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { readChecksummedJson, sha256, writeChecksummedJson } from '../store/checksummedFile';
import { recordKeyFile } from './recordStore';
import type { RunPlan } from './runPlanner';
import type { StatSignature, StatWitness } from './statWitness';
import { signatureOf, statOrUndefined } from './statWitness';

/** Format version of a kept plan; another version is a miss. */
const PLAN_CACHE_VERSION = 1;

/** What a dry run was asked: everything besides files that its plan depends on. */
export interface PlanRequest {
  /** The directory the command ran in, which a relative `file` is relative to. */
  readonly cwd: string;
  /** The pipeline file as given. */
  readonly file: string;
  readonly inputs: Readonly<Record<string, AnswerValue>>;
  readonly selection: RunSelection;
  /** The command's environment; Baton's own variables enter the key, through a keyed hash only. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** What a kept plan's file holds, after its checksum line. */
interface PlanBody {
  readonly version: number;
  /** A keyed hash of the build, the request and Baton's own variables (see `keyOf`). */
  readonly key: string;
  /** Each folder's looked-at names with their stat signatures. */
  readonly looked: Record<string, Record<string, StatSignature>>;
  readonly plan: RunPlan;
}

/** The prefix of the variables that set how Baton itself behaves (`BATON_STATE_DIR`, `BATON_REDIS_URL`, …). */
const OWN_VARIABLE_PREFIX = 'BATON_';

/**
 * Baton's own variables as sorted pairs. The rest of the environment never
 * enters a plan: a stage's fingerprint takes its env from the pipeline file
 * alone (the file is looked at), not from Baton's process, as make's does;
 * keying on it would only make every shell (`_`, `OLDPWD`) miss.
 */
function ownVariables(env: PlanRequest['env']): [string, string][] {
  const pairs: [string, string][] = [];
  for (const name of Object.keys(env).sort()) {
    const value = env[name];
    if (name.startsWith(OWN_VARIABLE_PREFIX) && value !== undefined) pairs.push([name, value]);
  }
  return pairs;
}

/**
 * Paths grouped by folder, which keeps the file about half as long as whole
 * paths would. The witness's paths are absolute and normalized (made by
 * `path.join` or `path.resolve`), so cutting at the last separator is what
 * `path.dirname` and `path.basename` would give, without normalizing each again.
 */
function grouped(signatures: ReadonlyMap<string, StatSignature>): PlanBody['looked'] {
  const looked: PlanBody['looked'] = {};
  for (const [file, signature] of signatures) {
    const cut = file.lastIndexOf(path.sep);
    const folder = (looked[file.slice(0, cut)] ??= {});
    folder[file.slice(cut + 1)] = signature;
  }
  return looked;
}

/**
 * Whether every looked-at path has the stat it had when the plan was made.
 * Folders and names are joined by hand (see `grouped`): `path.join` would
 * normalize each of ten thousand paths again.
 */
function unchanged(looked: PlanBody['looked']): boolean {
  for (const [dir, names] of Object.entries(looked)) {
    const prefix = `${dir}${path.sep}`;
    for (const [name, signature] of Object.entries(names)) {
      if (signatureOf(statOrUndefined(`${prefix}${name}`)) !== signature) return false;
    }
  }
  return true;
}

/**
 * Plans of `baton run --dry-run` kept whole, under `<stateDir>/plans/`, one
 * file per pipeline file, so that checking a thousand up-to-date stages
 * again costs one `stat` per file the plan depended on instead of parsing,
 * fingerprinting and looking up the record.
 *
 * A kept plan is used only when all of these are what they were when it was
 * made: the build of Baton (`build`), the request (directory, file, inputs,
 * selection), Baton's own variables (`BATON_*`), all of them through a
 * keyed hash with the record's key (so no guessable hash of a value is
 * stored), and the stat (kind, size, modification and change times, inode)
 * of every file and folder the plan
 * looked at (`StatWitness`): the pipeline file, the record's key, every
 * `deps:` folder listed and file hashed, every recorded output file, and the
 * record entries and unit folders read. Any difference is a miss and the full
 * check runs. A plan is not kept when the check read something no stat vouches
 * for, saw a path changed in the two seconds before it started, or met a
 * damaged record entry (whose warning must be shown each time). The file's
 * first line is a SHA-256 of the rest, so a torn or damaged file is a miss.
 */
export class PlanCache {
  private readonly dir: string;

  /**
   * @param stateDir the state directory
   * @param build the id of the running build; undefined turns the cache off (unbundled code)
   */
  constructor(
    private readonly stateDir: string,
    private readonly build: string | undefined,
  ) {
    this.dir = path.join(stateDir, 'plans');
  }

  /** The kept plan for `request`, when everything it depended on is unchanged. */
  read(request: PlanRequest): RunPlan | undefined {
    const key = this.keyOf(request);
    if (key === undefined) return undefined;
    const body = readChecksummedJson<PlanBody>(this.fileFor(request));
    if (body === undefined) return undefined;
    if (body.version !== PLAN_CACHE_VERSION || body.key !== key) return undefined;
    if (typeof body.looked !== 'object' || typeof body.plan !== 'object') return undefined;
    return unchanged(body.looked) ? body.plan : undefined;
  }

  /**
   * Keeps `plan`, made for `request` while `witness` noted what it looked
   * at, unless the witness refused it or the plan warns; a failure to write
   * only costs the full check next time.
   */
  async write(request: PlanRequest, plan: RunPlan, witness: StatWitness): Promise<void> {
    if (witness.refused !== undefined || plan.warnings.length > 0) return;
    const key = this.keyOf(request);
    if (key === undefined) return;
    // A plan holding what JSON cannot carry would come back different.
    if (!isDeepStrictEqual(JSON.parse(JSON.stringify(plan)), plan)) return;
    const looked = grouped(witness.signatures());
    // Not written (a read-only or full state directory): the next dry run checks in full.
    await writeChecksummedJson(this.fileFor(request), {
      version: PLAN_CACHE_VERSION,
      key,
      looked,
      plan,
    });
  }

  /**
   * The key of a request: a keyed hash (HMAC-SHA256 with the record's key)
   * of the build, the request and Baton's own variables, so no guessable hash
   * of an input or variable is stored; undefined without a build or a record
   * key (the full check makes one).
   */
  private keyOf(request: PlanRequest): string | undefined {
    if (this.build === undefined) return undefined;
    let recordKey: Buffer;
    try {
      recordKey = fs.readFileSync(recordKeyFile(this.stateDir));
    } catch {
      return undefined;
    }
    if (recordKey.length !== 32) return undefined;
    const { cwd, file, inputs, selection } = request;
    const env = ownVariables(request.env);
    // Keyed as a whole: an input given on the command line may be a secret.
    return createHmac('sha256', recordKey)
      .update(JSON.stringify([this.build, this.stateDir, cwd, file, inputs, selection, env]))
      .digest('hex');
  }

  private fileFor(request: PlanRequest): string {
    const absolute = path.resolve(request.cwd, request.file);
    return path.join(this.dir, `${sha256(absolute).slice(0, 16)}.plan`);
  }
}
