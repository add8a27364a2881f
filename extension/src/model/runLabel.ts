import type { AnswerValue, RunSummary } from '@baton/protocol';
import { runName } from '@baton/protocol';

export { runName } from '@baton/protocol';

/** Longest label of a run before its input list is cut (output channel names, status bar, tabs). */
export const MAX_LABEL_LENGTH = 48;

/**
 * A run's label: its name, then the inputs that differ from the defaults
 * (`Literature review #14 · pillars=ALL`), cut with `…` to `maxLength` so a
 * view never cuts it mid-name.
 */
export function runLabel(
  summary: Pick<RunSummary, 'pipelineName' | 'number' | 'runId' | 'changedInputs'>,
  maxLength = MAX_LABEL_LENGTH,
): string {
  const name = runName(summary);
  const inputs = inputsText(summary.changedInputs);
  if (inputs === '') return name;
  const full = `${name} · ${inputs}`;
  if (full.length <= maxLength) return full;
  // The name always stays whole; only the inputs are cut.
  const room = maxLength - name.length - 4;
  return room < 4 ? name : `${name} · ${inputs.slice(0, room)}…`;
}

/** `pillars=ALL, depth=3`: inputs as a short list. */
export function inputsText(inputs: Readonly<Record<string, AnswerValue>> | undefined): string {
  if (!inputs) return '';
  return Object.entries(inputs)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('|') : String(value)}`)
    .join(', ');
}
