import type { AnswerValue, RunSelection } from '@baton/core';
import type { Engine } from '../engine/engine';
import { bundleBuildId } from '../engine/parsedPipelines';
import { PlanCache } from '../incremental/planCache';
import type { RunPlan } from '../incremental/runPlanner';
import { RACY_WINDOW_MS, StatWitness } from '../incremental/statWitness';
import type { CliContext } from './cliContext';

/** What `baton run --dry-run` plans. */
export interface PlannedRunRequest {
  readonly file: string;
  readonly inputs: Readonly<Record<string, AnswerValue>>;
  readonly selection: RunSelection;
}

/**
 * The plan `baton run --dry-run` prints: the kept plan when nothing it
 * depended on changed (`PlanCache`), else the engine's full check, kept for
 * next time when its witness allows. `racyWindowMs` is for tests, which
 * change files right after writing them (see `StatWitness`).
 */
export async function plannedRun(
  context: CliContext,
  engine: Engine,
  stateDir: string,
  asked: PlannedRunRequest,
  racyWindowMs: number = RACY_WINDOW_MS,
): Promise<RunPlan> {
  const cache = new PlanCache(stateDir, context.buildId ?? bundleBuildId());
  const request = { ...asked, cwd: context.cwd, env: context.env };
  const kept = cache.read(request);
  if (kept !== undefined) return kept;
  // Created before the engine looks at anything: paths changed just before are not trusted.
  const witness = new StatWitness(Date.now(), racyWindowMs);
  const plan = await engine.planRun({ ...asked, witness });
  await cache.write(request, plan, witness);
  return plan;
}
