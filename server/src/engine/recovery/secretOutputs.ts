import type { ResumePlan, RunState } from '@baton/core';
import { MASK } from '../../output/masker';

/**
 * Stage outputs and exported variables (`$GITHUB_ENV`) that held a secret are
 * stored masked (secrets never reach a run's files), so after a resume they
 * cannot be read back. A succeeded stage
 * with such an output runs again when some stage after it still has to run:
 * only a new attempt gives the later stages the real value.
 */
export function stagesToRederive(state: RunState): string[] {
  const masked = Object.values(state.stages).filter(
    (stage) =>
      stage.status === 'succeeded' &&
      [...Object.values(stage.outputs), ...Object.values(stage.exported?.env ?? {})].some((value) =>
        value.includes(MASK),
      ),
  );
  if (masked.length === 0) return [];
  const dependants = new Map<string, string[]>();
  for (const spec of state.pipeline.stages) {
    for (const need of spec.needs) dependants.set(need, [...(dependants.get(need) ?? []), spec.id]);
  }
  return masked
    .filter((stage) => hasUnfinishedDependant(stage.id, dependants, state))
    .map((stage) => stage.id);
}

function hasUnfinishedDependant(
  id: string,
  dependants: ReadonlyMap<string, readonly string[]>,
  state: RunState,
): boolean {
  const seen = new Set<string>();
  const queue = [...(dependants.get(id) ?? [])];
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    if (seen.has(next)) continue;
    seen.add(next);
    if (state.stages[next]?.status !== 'succeeded') return true;
    queue.push(...(dependants.get(next) ?? []));
  }
  return false;
}

/** The plan with the reason of each stage in `rederived` saying why it runs again. */
export function explainRederived(plan: ResumePlan, rederived: readonly string[]): ResumePlan {
  if (rederived.length === 0) return plan;
  const why =
    'an output or exported variable of it holds a secret, which is never stored; it runs again to produce it';
  return {
    ...plan,
    stages: plan.stages.map((step) =>
      rederived.includes(step.stage) ? { ...step, reason: why } : step,
    ),
  };
}
