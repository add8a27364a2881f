import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { glob } from 'tinyglobby';
import type { StatePaths } from '../store/paths';

/** The files and directories of one stage attempt. */
export interface AttemptFiles {
  readonly runDir: string;
  /** The working directory of the stage. */
  readonly cwd: string;
  readonly logFile: string;
  /** `$BATON_OUTPUT`: created empty before the stage starts. */
  readonly outputFile: string;
  /** `$BATON_STATE`: kept across retries and resume. */
  readonly stateDir: string;
  /** `$BATON_SUMMARY`: markdown appended by the stage. */
  readonly summaryFile: string;
}

/** The files of attempt `attempt` of `stage`, with the working directory resolved against the pipeline's directory. */
export function attemptFiles(
  paths: StatePaths,
  runId: string,
  stage: string,
  attempt: number,
  cwd: string,
): AttemptFiles {
  return {
    runDir: paths.runDir(runId),
    cwd,
    logFile: paths.stageLogFile(runId, stage, attempt),
    outputFile: paths.stageOutputFile(runId, stage, attempt),
    stateDir: paths.stageStateDir(runId, stage),
    summaryFile: paths.stageSummaryFile(runId, stage),
  };
}

/** Creates the directories an attempt writes into and an empty `$BATON_OUTPUT` (owner-only permissions). */
export async function prepareAttemptFiles(files: AttemptFiles): Promise<void> {
  await Promise.all(
    [
      files.stateDir,
      path.dirname(files.outputFile),
      path.dirname(files.summaryFile),
      path.dirname(files.logFile),
    ].map((dir) => fs.mkdir(dir, { recursive: true, mode: 0o700 })),
  );
  await fs.writeFile(files.outputFile, '', { mode: 0o600 });
}

/**
 * The declared `outputs:` globs (relative to the stage's working directory)
 * that match no file. Dot files count, directories do not.
 */
export async function checkDeclaredOutputs(
  patterns: readonly string[],
  cwd: string,
): Promise<string[]> {
  const missing: string[] = [];
  for (const pattern of patterns) {
    const matches = await glob(pattern, {
      cwd,
      dot: true,
      onlyFiles: true,
      expandDirectories: false,
    });
    if (matches.length === 0) missing.push(pattern);
  }
  return missing;
}

/**
 * Replaces masked values in a file the stage wrote for Baton (`$BATON_OUTPUT`,
 * `$BATON_SUMMARY`) once the attempt has ended, so no secret stays in the
 * run's files. A missing file is fine; the file is only rewritten when
 * something was masked.
 */
export async function scrubFile(file: string, mask: (text: string) => string): Promise<void> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return;
  }
  const masked = mask(text);
  if (masked !== text) await fs.writeFile(file, masked, { mode: 0o600 });
}
