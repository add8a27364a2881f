import type { ResumePlan, ResumeStep } from '@baton/protocol';

const ACTION_ICONS: Record<ResumeStep['action'], string> = {
  skip: 'debug-step-over',
  rerun: 'debug-rerun',
  run: 'play',
  attach: 'plug',
};

const ACTION_WORDS: Record<ResumeStep['action'], string> = {
  skip: 'skip',
  rerun: 're-run',
  run: 'run',
  attach: 're-attach',
};

/** A one-line summary of a plan: `2 to run, 1 to re-run, 3 skipped`. */
export function planSummary(plan: ResumePlan): string {
  const count = (action: ResumeStep['action']): number =>
    plan.steps.filter((s) => s.action === action).length;
  const parts = [
    [count('run'), 'to run'],
    [count('rerun'), 'to re-run'],
    [count('attach'), 'to re-attach'],
    [count('skip'), 'skipped'],
  ] as const;
  const text = parts.filter(([n]) => n > 0).map(([n, words]) => `${n} ${words}`);
  return text.length > 0 ? text.join(', ') : 'nothing to do';
}

/** One QuickPick row per step: the stage, what happens to it and why. */
export function planRows(
  plan: ResumePlan,
): { label: string; description: string; detail: string }[] {
  return plan.steps.map((step) => ({
    label: `$(${ACTION_ICONS[step.action]}) ${step.stage}`,
    description: ACTION_WORDS[step.action],
    detail: step.reason,
  }));
}
