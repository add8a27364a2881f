import type { FingerprintParts } from './fingerprintParts';
import { describeChanges } from './fingerprintParts';

/** A recorded success with the same fingerprint, and what became of the files it wrote. */
export interface MatchingSuccess {
  readonly runId: string;
  /** Declared output files it wrote that are gone now. */
  readonly missing: readonly string[];
  /** Declared output files it wrote whose content differs now. */
  readonly changed: readonly string[];
}

/** Everything `decideUnit` judges a unit by; the shell gathers it (hashes, record look-ups). */
export interface UnitCheck {
  /** The record's ignored for this unit (`--force`, `--from`). */
  readonly forced: boolean;
  readonly parts: FingerprintParts;
  /** The recorded success with the same fingerprint, when there is one. */
  readonly match?: MatchingSuccess;
  /** The unit's newest recorded success, when none matches: what the reasons compare with. */
  readonly latest?: { readonly runId: string; readonly parts: FingerprintParts };
}

/** Whether a unit runs or is skipped as up to date, and why, in plain words. */
export interface UnitDecision {
  readonly action: 'run' | 'skip';
  readonly reason: string;
}

function filesReason(match: MatchingSuccess): string | undefined {
  const [missing] = match.missing;
  if (missing !== undefined) {
    const more = match.missing.length > 1 ? ` (and ${match.missing.length - 1} more)` : '';
    return `output ${missing} missing${more}`;
  }
  const [changed] = match.changed;
  if (changed !== undefined) {
    const more = match.changed.length > 1 ? ` (and ${match.changed.length - 1} more)` : '';
    return `output ${changed} changed${more}`;
  }
  return undefined;
}

/**
 * Judges one unit against the record: it is up to date (skip) when a
 * recorded success has the same fingerprint and every output file it wrote
 * is still there with the same content. Otherwise it runs, and the reason
 * says concretely why: forced, an output missing or changed, what changed
 * since its newest recorded success, or that it never ran.
 */
export function decideUnit(check: UnitCheck): UnitDecision {
  if (check.forced) return { action: 'run', reason: 'forced: the record is ignored' };
  if (check.match !== undefined) {
    const files = filesReason(check.match);
    if (files !== undefined) return { action: 'run', reason: files };
    return { action: 'skip', reason: `up to date: unchanged since run ${check.match.runId}` };
  }
  if (check.latest === undefined) return { action: 'run', reason: 'never ran' };
  const changes = describeChanges(check.latest.parts, check.parts);
  return {
    action: 'run',
    reason:
      changes.length > 0
        ? changes.join('; ')
        : `fingerprint changed since run ${check.latest.runId}`,
  };
}
