import type { AnswerValue, ResumePlan, RunSelection } from '@baton/core';
import { Engine } from '../../engine/engine';
import type { CliContext, GlobalOptions } from '../cliContext';
import { redisUrlOf, stateDirOf, UsageError } from '../cliContext';
import { remoteExecutorsFor } from '../../executor/remoteExecutors';
import { RunMonitor } from '../runMonitor';
import { printRunPlan } from '../planView';
import { plannedRun } from '../plannedRun';

/** Options of `baton run`. */
export interface RunOptions extends GlobalOptions {
  readonly input: readonly string[];
  readonly yes: boolean;
  readonly json: boolean;
  /** Stages named on the command line: run them and what they need. */
  readonly stages?: readonly string[];
  readonly from?: string;
  readonly force?: true | readonly string[];
  readonly dryRun?: boolean;
}

/** The selection `baton run` options describe. */
export function selectionOf(options: RunOptions): RunSelection {
  return {
    ...(options.stages !== undefined && options.stages.length > 0
      ? { stages: options.stages }
      : {}),
    ...(options.from === undefined ? {} : { from: options.from }),
    ...(options.force === undefined ? {} : { force: options.force }),
  };
}

/** Options of `baton resume`. */
export interface ResumeOptions extends GlobalOptions {
  readonly input: readonly string[];
  readonly yes: boolean;
  readonly json: boolean;
  readonly rerun: readonly string[];
}

/** Reads `--input id=value` pairs; the engine types the values against the pipeline's inputs. */
export function parseInputs(pairs: readonly string[]): Record<string, AnswerValue> {
  const inputs: Record<string, AnswerValue> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new UsageError(`--input ${pair}: expected id=value`);
    inputs[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return inputs;
}

function monitorFor(
  context: CliContext,
  engine: Engine,
  options: { yes: boolean; json: boolean },
): RunMonitor {
  return new RunMonitor({
    terminal: context.terminal,
    engine,
    json: options.json,
    askInline: context.terminal.isTTY && !options.yes && !options.json,
    answerable: !options.yes,
  });
}

/** `baton run <file>`: runs a pipeline and shows it; returns the exit code. */
export async function runCommand(
  context: CliContext,
  file: string,
  options: RunOptions,
): Promise<number> {
  const inputs = parseInputs(options.input);
  const engine = new Engine({
    stateDir: stateDirOf(context, options),
    executors: await remoteExecutorsFor(redisUrlOf(context, options), context.env),
  });
  const selection = selectionOf(options);
  if (options.dryRun === true) {
    const plan = await plannedRun(context, engine, stateDirOf(context, options), {
      file,
      inputs,
      selection,
    });
    printRunPlan(context, plan, options.json);
    return 0;
  }
  const monitor = monitorFor(context, engine, options);
  await engine.recoverInterruptedRuns();
  const handle = await engine.startRun({
    file,
    inputs,
    inputsBy: 'cli',
    interactive: !options.yes,
    selection,
  });
  return monitor.follow(handle.runId, handle.finished);
}

/** `baton resume <runId>`: prints the plan, then resumes the run. */
export async function resumeCommand(
  context: CliContext,
  runId: string,
  options: ResumeOptions,
): Promise<number> {
  const engine = new Engine({
    stateDir: stateDirOf(context, options),
    executors: await remoteExecutorsFor(redisUrlOf(context, options), context.env),
  });
  const monitor = monitorFor(context, engine, options);
  const inputs = parseInputs(options.input);
  const handle = await engine.resumeRun(runId, {
    interactive: !options.yes,
    inputs,
    inputsBy: 'cli',
    ...(options.rerun.length > 0 ? { rerun: options.rerun } : {}),
    beforeResume: (plan, state) => {
      monitor.seed(state);
      if (!options.json) printPlan(context, state.pipeline.name, runId, plan);
    },
  });
  return monitor.follow(handle.runId, handle.finished);
}

function printPlan(context: CliContext, name: string, runId: string, plan: ResumePlan): void {
  const { terminal } = context;
  const { colors } = terminal;
  const lines = [colors.bold(`Resuming run ${runId} of ${name}:`)];
  for (const step of plan.stages) {
    const action =
      step.action === 'skip'
        ? colors.green('skip ')
        : step.action === 'rerun'
          ? colors.yellow('rerun')
          : step.action === 'attach'
            ? colors.magenta('attach')
            : colors.cyan('run  ');
    lines.push(`  ${action} ${step.stage.padEnd(20)} ${colors.dim(step.reason)}`);
  }
  // One write, not one per stage: a long pipeline's plan is printed before its first stage starts.
  terminal.write(`${lines.join('\n')}\n`);
}
