import type { RunPlan, RunPlanStep } from '@baton/protocol';

/** Which stages a run is asked to run, as `baton/startRun` and `baton/planRun` take them. */
export interface RunSelection {
  /** These stages and what they need (up-to-date ones skipped). */
  readonly stages?: readonly string[];
  /** This stage and everything downstream of it, ignoring the record for them. */
  readonly from?: string;
  /** Ignore the record: for every stage, or for the stages named. */
  readonly force?: boolean | readonly string[];
}

const ACTION_ICONS: Record<RunPlanStep['action'], string> = {
  run: 'play',
  skip: 'check-all',
  unselected: 'circle-slash',
};

const ACTION_WORDS: Record<RunPlanStep['action'], string> = {
  run: 'run',
  skip: 'up to date',
  unselected: 'not selected',
};

/** Whether a run with this plan skips anything, so that starting it deserves a preview first. */
export function skipsSomething(plan: RunPlan): boolean {
  return plan.steps.some((step) => step.action === 'skip');
}

/** A one-line summary of a run plan: `1 to run, 3 up to date, 1 not selected`. */
export function runPlanSummary(plan: RunPlan): string {
  const count = (action: RunPlanStep['action']): number =>
    plan.steps.filter((s) => s.action === action).length;
  const parts = [
    [count('run'), 'to run'],
    [count('skip'), 'up to date'],
    [count('unselected'), 'not selected'],
  ] as const;
  const text = parts.filter(([n]) => n > 0).map(([n, words]) => `${n} ${words}`);
  return text.length > 0 ? text.join(', ') : 'nothing to do';
}

/** One QuickPick row per step of a run plan: the stage, run or skip, and why. */
export function runPlanRows(
  plan: RunPlan,
): { label: string; description: string; detail: string }[] {
  return plan.steps.map((step) => ({
    label: `$(${ACTION_ICONS[step.action]}) ${step.stage}`,
    description: ACTION_WORDS[step.action],
    detail: step.reason,
  }));
}

/** What a selection runs, in words for a title: `Run translate of Review`. */
export function selectionTitle(pipelineName: string, selection: RunSelection): string {
  const forced = selection.force === true || Array.isArray(selection.force) ? 'Force ' : '';
  if (selection.from !== undefined) return `${forced}Run ${pipelineName} from ${selection.from}`;
  if (selection.stages !== undefined && selection.stages.length > 0)
    return `${forced}Run ${selection.stages.join(', ')} of ${pipelineName}`;
  return `${forced}Run ${pipelineName}`;
}
