import type { StageDiagnosis } from '@baton/core';
import type { ProcessSnapshotEntry } from '../../process/processTree';
import type { StageAnnotation } from '../engineEvents';

/** What a hang diagnosis says: a block for the stage's log and a one-line annotation. */
export interface HangDiagnosis {
  readonly logText: string;
  readonly annotation: StageAnnotation;
}

/**
 * Describes a stage that has been quiet for `idleMs`: its last lines and its
 * process tree (state, CPU seconds, memory, command line), so a user can tell
 * a program waiting for input or a lock from one that is computing.
 */
export function describeHang(
  idleMs: number,
  recentLines: readonly string[],
  tree: readonly ProcessSnapshotEntry[],
): HangDiagnosis {
  const quiet = `no output for ${Math.round(idleMs / 1000)}s`;
  const lines = [
    `--- baton: ${quiet}; diagnosis ---`,
    'last lines:',
    ...recentLines.map((line) => `  | ${line}`),
    'processes:',
    ...tree.map((entry) => `  ${JSON.stringify(entry)}`),
    '---',
  ];
  const last = recentLines.at(-1) ?? '(none)';
  return {
    logText: `${lines.join('\n')}\n`,
    annotation: {
      level: 'warning',
      title: 'stage looks hung',
      message: `${quiet}; ${tree.length} processes; last line: ${last}`,
    },
  };
}

/**
 * The diagnosis as the core records it (`stageDiagnosed`): plain data that
 * survives the event log. `recentLines` must already be masked.
 */
export function stageDiagnosis(
  idleMs: number,
  recentLines: readonly string[],
  tree: readonly ProcessSnapshotEntry[],
  openPrompt: string | undefined,
): StageDiagnosis {
  const processes = tree.map(({ pid, ppid, state, command, cpuSeconds, rssKb }) => ({
    pid,
    ppid,
    state,
    command,
    cpuSeconds,
    rssKb,
  }));
  const base = { idleMs: Math.max(0, idleMs), lastLines: [...recentLines], processes };
  return openPrompt === undefined ? base : { ...base, openPrompt };
}
