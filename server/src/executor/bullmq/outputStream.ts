/**
 * The entries of a job's output stream, as written by the worker and read by
 * the orchestrator. Each entry is a flat field list: `k` (kind) first, then
 * its data. Chunks stay bytes (`xaddBuffer`/`xreadBuffer`), so nothing is
 * decoded on the way and a UTF-8 character split between two chunks survives.
 */
import type { Progress } from '@baton/core';
import type { InputWaitState } from '../../process/inputWait';
import type { RemoteResult, WorkerClaim } from './remoteJob';

/**
 * One entry of an output stream. `watch` is log text from the stage's
 * `watch:` files, tailed on the worker (`[file] line`, masked), `progress`
 * the progress one of them reported, and `input` what the stage's processes
 * now do with its stdin (read on the worker's `/proc`, sent when it changes),
 * so the orchestrator's bare-input detection asks only a stage that reads;
 * `silent` when the process reading is a shell whose script has a `read -s`
 * (found on the worker, where the script is), so the question is a secret one.
 */
export type OutputEntry =
  | { readonly kind: 'start'; readonly claim: WorkerClaim }
  | { readonly kind: 'chunk'; readonly stream: 'stdout' | 'stderr'; readonly data: Buffer }
  | { readonly kind: 'watch'; readonly text: string }
  | { readonly kind: 'progress'; readonly progress: Progress }
  | { readonly kind: 'input'; readonly state: InputWaitState; readonly silent?: true }
  | { readonly kind: 'end'; readonly result: RemoteResult };

/** The fields of an entry, for XADD. */
export function entryFields(entry: OutputEntry): (string | Buffer)[] {
  switch (entry.kind) {
    case 'start':
      return ['k', 's', 'd', JSON.stringify(entry.claim)];
    case 'chunk':
      return ['k', entry.stream === 'stdout' ? 'o' : 'e', 'd', entry.data];
    case 'watch':
      return ['k', 'w', 'd', entry.text];
    case 'progress':
      return ['k', 'p', 'd', JSON.stringify(entry.progress)];
    case 'input':
      return ['k', 'n', 'd', entry.state, ...(entry.silent === true ? ['s', '1'] : [])];
    case 'end':
      return ['k', 'x', 'd', JSON.stringify(entry.result)];
    default: {
      const never: never = entry;
      throw new Error(`unknown output entry ${JSON.stringify(never)}`);
    }
  }
}

/** Reads an entry from its fields; undefined for anything not written by `entryFields`. */
export function parseEntry(fields: readonly Buffer[]): OutputEntry | undefined {
  const kind = fields[1]?.toString();
  const data = fields[3];
  if (data === undefined) return undefined;
  switch (kind) {
    case 's':
      return { kind: 'start', claim: JSON.parse(data.toString()) as WorkerClaim };
    case 'o':
      return { kind: 'chunk', stream: 'stdout', data };
    case 'e':
      return { kind: 'chunk', stream: 'stderr', data };
    case 'w':
      return { kind: 'watch', text: data.toString() };
    case 'p':
      return { kind: 'progress', progress: JSON.parse(data.toString()) as Progress };
    case 'n':
      return inputEntry(data.toString(), fields[4]?.toString() === 's');
    case 'x':
      return { kind: 'end', result: JSON.parse(data.toString()) as RemoteResult };
    default:
      return undefined;
  }
}

const INPUT_WAIT_STATES: readonly string[] = ['reading', 'polling', 'busy', 'unknown'];

/** An `input` entry, or none for a state this orchestrator does not know (a newer worker's). */
function inputEntry(state: string, silent: boolean): OutputEntry | undefined {
  if (!INPUT_WAIT_STATES.includes(state)) return undefined;
  return { kind: 'input', state: state as InputWaitState, ...(silent ? { silent: true } : {}) };
}

/** A control entry: an answer for the stage's stdin, or a kill. */
export type ControlEntry =
  | { readonly kind: 'stdin'; readonly text: string }
  | { readonly kind: 'kill'; readonly graceMs: number };

/** The fields of a control entry, for XADD. */
export function controlFields(entry: ControlEntry): string[] {
  return entry.kind === 'stdin'
    ? ['k', 'i', 'd', entry.text]
    : ['k', 'k', 'd', String(entry.graceMs)];
}

/** Reads a control entry from its fields. */
export function parseControl(fields: readonly string[]): ControlEntry | undefined {
  const data = fields[3];
  if (data === undefined) return undefined;
  if (fields[1] === 'i') return { kind: 'stdin', text: data };
  if (fields[1] === 'k') return { kind: 'kill', graceMs: Number(data) };
  return undefined;
}
