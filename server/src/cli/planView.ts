import type { RunPlan } from '../incremental/runPlanner';
import type { CliContext } from './cliContext';

/**
 * Prints a run's plan: one line per stage, run or skip, with its reason
 * (`baton run --dry-run`), or the plan as JSON. Stages outside the selection
 * are left out of the text and kept in the JSON.
 */
export function printRunPlan(context: CliContext, plan: RunPlan, json: boolean): void {
  const { terminal } = context;
  if (json) {
    terminal.write(`${JSON.stringify(plan, null, 2)}\n`);
    return;
  }
  const { colors } = terminal;
  const shown = plan.units.filter((unit) => unit.action !== 'unselected');
  const width = Math.min(30, Math.max(...shown.map((unit) => unit.unit.length), 5));
  const runs = shown.filter((unit) => unit.action === 'run').length;
  const lines = [
    colors.bold(
      `Plan for ${plan.pipeline}: ${runs} to run, ${shown.length - runs} up to date (nothing runs: --dry-run)`,
    ),
  ];
  for (const unit of shown) {
    const action = unit.action === 'skip' ? colors.green('skip') : colors.cyan('run ');
    lines.push(`  ${action} ${unit.unit.padEnd(width)} ${colors.dim(unit.reason)}`);
  }
  for (const warning of plan.warnings) lines.push(colors.yellow(`warning: ${warning}`));
  // One write, not one per stage: a plan of a thousand stages is one system call.
  terminal.write(`${lines.join('\n')}\n`);
}
