/**
 * Where a stage is in its attempts, in the words every view uses (the
 * editor's tree and tooltips, the CLI's live lines): one rule, so the views
 * cannot disagree.
 */

/** The counts a stage's attempt text is made of (a `StageSnapshot` has them). */
export interface AttemptCounts {
  /** The attempt now or last made, 1-based; 0 when none was made. */
  readonly attempt: number;
  /** The attempt budget of the run so far (it grows by a go on each resume). */
  readonly maxAttempts: number;
  /** Attempts one go may take (`retry.attempts`; 1: no retries). Default `maxAttempts`. */
  readonly attemptsPerGo?: number;
}

/**
 * `attempt 2/3` counted within the current go of the stage, and only when its
 * pipeline gives it retries (`retry.attempts` above 1); a stage that runs
 * again because its run was resumed says `resumed` (and its count within the
 * new go, when it has retries), never a count it never had. Undefined when
 * neither applies.
 */
export function attemptText(stage: AttemptCounts): string | undefined {
  if (stage.attempt === 0) return undefined;
  const perGo = stage.attemptsPerGo ?? stage.maxAttempts;
  // Attempts made before this go (earlier goes ended by a resume).
  const before = Math.max(0, stage.maxAttempts - perGo);
  const inGo = stage.attempt - before;
  const parts: string[] = [];
  if (before > 0 && inGo >= 1) parts.push('resumed');
  if (perGo > 1 && inGo >= 1) parts.push(`attempt ${inGo}/${perGo}`);
  return parts.length > 0 ? parts.join(' · ') : undefined;
}
