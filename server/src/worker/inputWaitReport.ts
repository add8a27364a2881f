import type { OutputEntry } from '../executor/bullmq/outputStream';
import type { InputWaitState } from '../process/inputWait';
import type { StageProcess } from '../process/spawnStage';

/** How often the worker reads what the stage does with its stdin. */
const SAMPLE_MS = 100;

/**
 * Reports what a stage running on this worker does with its stdin (read from
 * this machine's `/proc`: reading it, polling, busy) as `input` entries of its
 * output stream, each time it changes, so the orchestrator tells a question
 * waiting for an answer from a status line left unfinished, as it does for a
 * local stage. Returns a function that stops the sampling.
 */
export function reportInputWait(
  stage: StageProcess,
  add: (entry: OutputEntry) => void,
  sampleMs = SAMPLE_MS,
): () => void {
  let last: InputWaitState | undefined;
  const sample = (): void => {
    const state = stage.inputWaitState();
    if (state === last) return;
    last = state;
    add({ kind: 'input', state });
  };
  sample();
  const timer = setInterval(sample, sampleMs);
  timer.unref();
  return () => clearInterval(timer);
}
