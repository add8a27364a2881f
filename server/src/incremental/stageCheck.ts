import type { MatchingSuccess, ReusedSuccess, UnitDecision } from '@baton/core';
import { decideUnit } from '@baton/core';
import * as path from 'node:path';
import type { FileHasher } from './fileHasher';
import type { RecordEntry } from './recordEntry';
import type { RecordStore } from './recordStore';
import type { RecordSnapshot } from './recordSnapshot';
import type { StatWitness } from './statWitness';
import type { CheckEffect, Fingerprint, FingerprintSources } from './stageFingerprint';
import { fingerprintStage } from './stageFingerprint';

/** Where a pipeline's record is. */
export interface RecordPlace {
  readonly store: RecordStore;
  /** The pipeline's record folder (`RecordStore.pipelineDir`). */
  readonly dir: string;
  /** Its snapshot, which spares reading unchanged entry files (`RecordStore.snapshotOf`). */
  readonly snapshot?: RecordSnapshot;
  /** Notes the stat of each record file looked at (a plan kept whole). */
  readonly witness?: StatWitness;
}

/** A stage checked against the record: its fingerprint, the verdict, and what a skip reuses. */
export interface StageCheckOutcome {
  readonly fingerprint: Fingerprint;
  readonly decision: UnitDecision;
  readonly reuse?: ReusedSuccess;
  /** The recorded success the verdict compared with (the match, else the newest). */
  readonly compared?: RecordEntry;
  /** Damaged entries met on the way, in plain words; each counted as a miss. */
  readonly warnings: readonly string[];
}

/** The recorded output files that are gone or changed now. */
function outputsNow(entry: RecordEntry, cwd: string, hasher: FileHasher): MatchingSuccess {
  const missing: string[] = [];
  const changed: string[] = [];
  for (const [file, recorded] of Object.entries(entry.files)) {
    const now = hasher.hash(path.join(cwd, file));
    if (now === undefined) missing.push(file);
    else if (now.hash !== recorded.hash) changed.push(file);
  }
  return { runId: entry.runId, missing, changed };
}

/**
 * Checks one stage against the record: computes its fingerprint, finds the
 * recorded success with the same fingerprint (or the newest one, for the
 * reasons), checks that the files it wrote are still there unchanged, and
 * lets the core's `decideUnit` judge. A damaged entry is a miss with a warning.
 */
export async function checkStageAgainstRecord(
  effect: CheckEffect,
  sources: FingerprintSources,
  record: RecordPlace,
): Promise<StageCheckOutcome> {
  const fingerprint = await fingerprintStage(effect, sources);
  const unit = effect.stage;
  const warnings: string[] = [];
  const { store, dir, snapshot, witness } = record;
  const found = store.read(dir, unit, fingerprint.fingerprint, snapshot, witness);
  if (found.kind === 'damaged') {
    warnings.push(
      `the record entry of stage '${unit}' (${found.file}) cannot be trusted: ${found.why}; the stage runs`,
    );
  }
  const parts = fingerprint.parts;
  if (found.kind === 'found') {
    const { entry } = found;
    const match = outputsNow(entry, fingerprint.cwd, sources.hasher);
    const decision = decideUnit({ forced: effect.forced, parts, match });
    const reuse: ReusedSuccess = {
      runId: entry.runId,
      outputs: entry.outputs,
      digest: entry.digest,
      ...(entry.exported === undefined ? {} : { exported: entry.exported }),
    };
    return decision.action === 'skip'
      ? { fingerprint, decision, reuse, compared: entry, warnings }
      : { fingerprint, decision, compared: entry, warnings };
  }
  const latest = store.latest(dir, unit, witness);
  const decision = decideUnit(
    latest === undefined
      ? { forced: effect.forced, parts }
      : { forced: effect.forced, parts, latest: { runId: latest.runId, parts: latest.parts } },
  );
  return latest === undefined
    ? { fingerprint, decision, warnings }
    : { fingerprint, decision, compared: latest, warnings };
}
