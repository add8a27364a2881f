import type { Effect, Pipeline, RunEvent, RunState, StageExports, StageSpec } from '@baton/core';
import * as path from 'node:path';
import type { Masker } from '../output/masker';
import { FileHasher } from './fileHasher';
import type { RecordSnapshot } from './recordSnapshot';
import type { HandedOn } from './outputDigest';
import { digestHandedOn } from './outputDigest';
import type { RecordEntry } from './recordEntry';
import { RECORD_VERSION } from './recordEntry';
import type { RecordStore } from './recordStore';
import { checkStageAgainstRecord } from './stageCheck';
import type { CheckEffect, Fingerprint } from './stageFingerprint';

/** The effect that records a success. */
export type RecordEffect = Extract<Effect, { type: 'recordStage' }>;

/** What the run's incremental side talks back to: the controller, seen narrowly. */
export interface CheckedRun {
  readonly state: RunState;
  dispatch(event: RunEvent): unknown;
}

/** Where the run's incremental side reports what goes wrong; a problem never stops the run. */
export type ProblemSink = (message: string) => void;

// The declarations of each pipeline by id, so a look-up is not a walk of 10,000 stages.
const specIndex = new WeakMap<Pipeline, Map<string, StageSpec>>();

/**
 * A stage's declaration; for a unit `<stage>[<item>]` of a fanned-out stage,
 * which exists only in the run's expanded pipeline, the stage's own: its
 * `deps:` and `outputs:` are the unit's.
 */
export function specOf(pipeline: Pipeline, stage: string): StageSpec {
  let index = specIndex.get(pipeline);
  if (index === undefined) {
    index = new Map(pipeline.stages.map((s) => [s.id, s]));
    specIndex.set(pipeline, index);
  }
  const bracket = stage.indexOf('[');
  const spec = index.get(stage) ?? (bracket > 0 ? index.get(stage.slice(0, bracket)) : undefined);
  if (spec === undefined) throw new Error(`no stage '${stage}' in ${pipeline.file}`);
  return spec;
}

/**
 * The shell's half of incremental runs for one run: carries out
 * `checkStage` (fingerprint, record look-up, `decideUnit`, then
 * `stageChecked`) and `recordStage` (an entry written atomically), and
 * digests what each attempt hands on. Fingerprints and handed-on files wait
 * here between the check and the record; a process that did not check a
 * stage (a resume elsewhere) records nothing for it, which is only a miss.
 */
export class RunIncremental {
  private readonly pipelineDir: string;
  private readonly recordDir: string;
  private readonly hasher: FileHasher;
  private readonly snapshot: RecordSnapshot;
  private key: Promise<Buffer> | undefined;
  private readonly checked = new Map<string, Fingerprint>();
  private readonly handedOn = new Map<string, HandedOn>();
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly store: RecordStore,
    private readonly pipeline: Pipeline,
    private readonly masker: Masker,
    private readonly problem: ProblemSink,
    private readonly now: () => number,
  ) {
    this.pipelineDir = path.dirname(path.resolve(pipeline.file));
    this.recordDir = store.pipelineDir(pipeline.id, pipeline.file);
    this.hasher = new FileHasher(store.statCacheFile(this.recordDir));
    this.snapshot = store.snapshotOf(this.recordDir);
  }

  /** Checks a stage and reports `stageChecked` to `run`, unless the stage stopped waiting meanwhile. */
  check(effect: CheckEffect, run: CheckedRun): void {
    this.track(this.checkNow(effect, run));
  }

  /** Digests what an attempt handed on, keeping its files for the record. */
  async digest(
    stage: string,
    attempt: number,
    outputs: Readonly<Record<string, string>>,
    exported: StageExports | undefined,
    cwd: string,
  ): Promise<string> {
    const spec = specOf(this.pipeline, stage);
    const handed = await digestHandedOn(outputs, exported, spec.outputs, cwd, this.hasher);
    this.handedOn.set(`${stage}#${attempt}`, handed);
    return handed.digest;
  }

  /** Records a success for later runs; a failure to write is a warning, never a failed run. */
  record(effect: RecordEffect, state: RunState): void {
    this.track(this.recordNow(effect, state));
  }

  /** Waits for checks and records under way, then saves the stat cache and the record's snapshot. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    await Promise.all([this.hasher.save(), this.snapshot.save()]);
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => this.problem(String(error)));
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
  }

  private async checkNow(effect: CheckEffect, run: CheckedRun): Promise<void> {
    const { stage } = effect;
    let event: RunEvent;
    try {
      this.key ??= this.store.hashKey();
      const outcome = await checkStageAgainstRecord(
        effect,
        {
          // The run's own pipeline: a unit of a fanned-out stage is declared only there.
          spec: specOf(run.state.pipeline, stage),
          pipelineDir: this.pipelineDir,
          hasher: this.hasher,
          key: await this.key,
        },
        { store: this.store, dir: this.recordDir, snapshot: this.snapshot },
      );
      for (const warning of outcome.warnings) this.problem(warning);
      this.checked.set(stage, outcome.fingerprint);
      const { decision, reuse } = outcome;
      event = {
        type: 'stageChecked',
        stage,
        fingerprint: outcome.fingerprint.fingerprint,
        action: decision.action,
        reason: decision.reason,
        ...(reuse === undefined ? {} : { reuse }),
        at: this.now(),
      };
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      this.problem(`stage '${stage}' could not be checked against the record: ${why}`);
      event = {
        type: 'stageChecked',
        stage,
        fingerprint: 'unchecked',
        action: 'run',
        reason: `runs: it could not be checked (${why})`,
        at: this.now(),
      };
    }
    const now = run.state.stages[stage];
    if (now?.status === 'pending' && now.checking === true) run.dispatch(event);
  }

  private async recordNow(effect: RecordEffect, state: RunState): Promise<void> {
    const key = `${effect.stage}#${effect.attempt}`;
    const fingerprint = this.checked.get(effect.stage);
    const handed = this.handedOn.get(key);
    this.handedOn.delete(key);
    const stage = state.stages[effect.stage];
    if (fingerprint?.fingerprint !== effect.fingerprint || handed === undefined || !stage) return;
    const exported = stage.exported;
    const outputs = stage.outputs;
    if (this.holdsSecret(outputs, exported)) {
      this.problem(`stage '${effect.stage}' is not recorded: its outputs hold a secret`);
      return;
    }
    const entry: RecordEntry = {
      version: RECORD_VERSION,
      unit: effect.stage,
      fingerprint: effect.fingerprint,
      parts: fingerprint.parts,
      runId: state.runId,
      attempt: effect.attempt,
      at: this.now(),
      outputs,
      ...(exported === undefined ? {} : { exported }),
      digest: handed.digest,
      files: handed.files,
    };
    await this.store.describePipeline(this.recordDir, this.pipeline.file);
    await this.store.write(this.recordDir, entry);
  }

  private holdsSecret(outputs: object, exported: StageExports | undefined): boolean {
    const text = JSON.stringify([outputs, exported ?? null]);
    return this.masker.mask(text) !== text;
  }
}
