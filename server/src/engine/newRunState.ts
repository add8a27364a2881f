import { createRun, InvalidInputsError, InvalidSelectionError } from '@baton/core';
import type { AnswerValue, Pipeline, RunSelection, RunState } from '@baton/core';
import { EngineError } from './engineErrors';

/** What a new run state is made from, besides the pipeline. */
export interface NewRunOptions {
  readonly runId: string;
  readonly at: number;
  readonly defaultConcurrency: number;
  readonly inputs?: Readonly<Record<string, AnswerValue>>;
  readonly interactive: boolean;
  readonly selection?: RunSelection;
}

/**
 * A fresh run of `pipeline` (`createRun`), with bad inputs and unknown
 * selected stages turned into an `invalidInput` engine error.
 */
export function newRunState(pipeline: Pipeline, options: NewRunOptions): RunState {
  try {
    return createRun({
      runId: options.runId,
      pipeline,
      at: options.at,
      interactive: options.interactive,
      defaultConcurrency: options.defaultConcurrency,
      ...(options.inputs ? { inputs: options.inputs } : {}),
      ...(options.selection ? { selection: options.selection } : {}),
    });
  } catch (error) {
    if (error instanceof InvalidInputsError || error instanceof InvalidSelectionError)
      throw new EngineError('invalidInput', error.message);
    throw error;
  }
}
