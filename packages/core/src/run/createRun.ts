import { findCycles, needsGraph } from '../pipeline/graph';
import type { AnswerValue, Pipeline } from '../pipeline/model';
import { checkInputs, InvalidInputsError } from './inputs';
import type { RunSelection } from '../incremental/runSelection';
import { resolveSelection } from '../incremental/runSelection';
import type { RunState, StageState } from './state';

/** What a new run needs; everything the core cannot know comes in here. */
export interface CreateRunOptions {
  readonly runId: string;
  readonly pipeline: Pipeline;
  /** Inputs given up front; strings are parsed for non-text inputs. */
  readonly inputs?: Readonly<Record<string, AnswerValue>>;
  /** Epoch ms of creation, from the shell's clock. */
  readonly at: number;
  /** Whether someone can answer prompts. */
  readonly interactive: boolean;
  /** Concurrency when the pipeline sets none (the shell passes the CPU count). */
  readonly defaultConcurrency: number;
  /** Which stages run and which ignore the record; every stage, none forced, when absent. */
  readonly selection?: RunSelection;
}

/** A selection names stages the pipeline does not declare. */
export class InvalidSelectionError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
    this.name = 'InvalidSelectionError';
  }
}

/**
 * Problems that would make a run hang or misbehave: unknown or duplicate
 * stage ids in `needs`, and dependency cycles. `parsePipeline` already reports
 * these for files; this guards pipelines built any other way.
 */
function pipelineProblems(pipeline: Pipeline): string[] {
  const ids = new Set<string>();
  const problems: string[] = [];
  for (const stage of pipeline.stages) {
    if (ids.has(stage.id)) problems.push(`stage '${stage.id}' is declared twice`);
    ids.add(stage.id);
  }
  for (const stage of pipeline.stages) {
    for (const need of stage.needs) {
      if (!ids.has(need))
        problems.push(`stage '${stage.id}' needs '${need}', which does not exist`);
    }
  }
  for (const cycle of findCycles(needsGraph(pipeline))) {
    problems.push(`stages depend on each other in a cycle: ${cycle.join(' → ')}`);
  }
  return problems;
}

/**
 * A fresh, queued run (seq 0) with every stage pending. Throws
 * `InvalidInputsError` listing every problem when the given inputs are
 * unknown or of the wrong type, and a plain `Error` for a concurrency below 1
 * or a stage graph that could never finish (unknown needs, cycles), and
 * `InvalidSelectionError` when the selection names unknown stages. Stages
 * outside the selection start as skipped ("not selected").
 */
export function createRun(options: CreateRunOptions): RunState {
  const { pipeline } = options;
  const problems = pipelineProblems(pipeline);
  if (problems.length > 0) {
    throw new Error(`pipeline '${pipeline.id}' cannot run: ${problems.join('; ')}`);
  }
  const checked = checkInputs(pipeline, options.inputs ?? {});
  if (checked.errors.length > 0) throw new InvalidInputsError(checked.errors);
  const concurrency = pipeline.concurrency ?? options.defaultConcurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error(`concurrency must be a whole number of at least 1, got ${concurrency}`);
  }
  const selection = resolveSelection(pipeline, options.selection ?? {});
  if (selection.errors.length > 0) throw new InvalidSelectionError(selection.errors);
  const selected = new Set(selection.selected);
  const stages: Record<string, StageState> = {};
  for (const spec of pipeline.stages) {
    const base = {
      id: spec.id,
      attempt: 0,
      maxAttempts: Math.max(1, spec.retry.attempts),
      outputs: {},
    };
    stages[spec.id] = selected.has(spec.id)
      ? { ...base, status: 'pending' }
      : { ...base, status: 'skipped', reason: 'not selected' };
  }
  return {
    ...(selection.forced === undefined ? {} : { forced: selection.forced }),
    ...(selection.units === undefined ? {} : { selectedUnits: selection.units }),
    runId: options.runId,
    pipeline,
    status: 'queued',
    seq: 0,
    createdAt: options.at,
    interactive: options.interactive,
    concurrency,
    inputs: checked.inputs,
    answers: {},
    stages,
    prompts: {},
  };
}
