import type { OutputEntry } from '../executor/bullmq/outputStream';
import type { StageProcess } from '../process/spawnStage';
import { shellReadsSilently } from '../process/silentRead';

/** How often the worker reads what the stage does with its stdin. */
const SAMPLE_MS = 100;

/**
 * Reports what a stage running on this worker does with its stdin (read from
 * this machine's `/proc`: reading it, polling, busy) as `input` entries of its
 * output stream, each time it changes, so the orchestrator tells a question
 * waiting for an answer from a status line left unfinished, as it does for a
 * local stage. While it reads, the report also says whether the reader is a
 * shell whose script has a `read -s` (the script is on this machine, not the
 * orchestrator's), so that question is asked as a secret. Returns a function
 * that stops the sampling.
 */
export function reportInputWait(
  stage: StageProcess,
  add: (entry: OutputEntry) => void,
  sampleMs = SAMPLE_MS,
): () => void {
  let last: string | undefined;
  const sample = (): void => {
    const state = stage.inputWaitState();
    const silent = state === 'reading' && readsSilently(stage);
    const key = `${state}${silent ? ' silent' : ''}`;
    if (key === last) return;
    last = key;
    add({ kind: 'input', state, ...(silent ? { silent: true } : {}) });
  };
  sample();
  const timer = setInterval(sample, sampleMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Whether the process blocked on the stage's stdin is a shell reading with `read -s`. */
function readsSilently(stage: StageProcess): boolean {
  const reader = stage.stdinReader();
  return reader !== undefined && shellReadsSilently(reader);
}
