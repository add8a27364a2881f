import { closeSync, mkdirSync, openSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { glob } from 'tinyglobby';
import { LogWriter } from '../../store/logWriter';
import type { StatePaths } from '../../store/paths';
import type { StoreError } from '../../store/storeError';

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
  /** `$BATON_SUMMARY` and `$GITHUB_STEP_SUMMARY`: markdown appended by the stage. */
  readonly summaryFile: string;
  /** `$GITHUB_ENV`: variables for the stages that need this one; created empty per attempt. */
  readonly envFile: string;
  /** `$GITHUB_PATH`: directories for the `PATH` of the stages that need this one; created empty per attempt. */
  readonly pathFile: string;
  /** `$GITHUB_STATE`: the stage's saved values, kept across retries and resume. */
  readonly savedStateFile: string;
}

/** The files of attempt `attempt` of `stage`, with the working directory resolved against the pipeline's directory. */
export function attemptFiles(
  paths: StatePaths,
  runId: string,
  stage: string,
  attempt: number,
  cwd: string,
): AttemptFiles {
  const outputFile = paths.stageOutputFile(runId, stage, attempt);
  // Beside the attempt's output file (`<stage>.<attempt>.env`): names no
  // stage id can take, since each ends in a suffix the output files never have.
  const outputDir = path.dirname(outputFile);
  return {
    runDir: paths.runDir(runId),
    cwd,
    logFile: paths.stageLogFile(runId, stage, attempt),
    outputFile,
    stateDir: paths.stageStateDir(runId, stage),
    summaryFile: paths.stageSummaryFile(runId, stage),
    envFile: path.join(outputDir, `${stage}.${attempt}.github-env`),
    pathFile: path.join(outputDir, `${stage}.${attempt}.github-path`),
    savedStateFile: path.join(outputDir, `${stage}.github-state`),
  };
}

/**
 * Directories this process has made, so the next attempt of a run does not
 * make them again (four system calls per attempt add up over a chain of
 * short stages). Bounded: it is cleared when it grows large.
 */
const madeDirs = new Set<string>();
const MADE_DIRS_LIMIT = 10_000;

/**
 * Creates the directories an attempt writes into, an empty `$BATON_OUTPUT`,
 * `$GITHUB_ENV` and `$GITHUB_PATH`, and the stage's summary and saved-state
 * files when missing (all owner-only), and the attempt's log. GitHub's
 * toolkit refuses to write to a file that does not exist, so all must be
 * there before the command runs. Each is a create of a few microseconds, made
 * on this thread: a trip through the thread pool would cost ten times that in
 * wake-ups. Rejects with the first failure.
 */
export async function prepareAttemptFiles(
  files: AttemptFiles,
  onLogError: (error: StoreError) => void,
): Promise<LogWriter> {
  makeAttemptFiles(files);
  return LogWriter.open(files.logFile, { onError: onLogError, dirExists: true });
}

/** The attempt's directories (made once per process) and its files. */
function makeAttemptFiles(files: AttemptFiles): void {
  const dirs = [
    files.stateDir,
    path.dirname(files.outputFile),
    path.dirname(files.summaryFile),
    path.dirname(files.logFile),
  ];
  try {
    makeDirs(dirs.filter((dir) => !madeDirs.has(dir)));
    createFiles(files);
  } catch (error) {
    // A directory removed behind our back since it was made: make them all again.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    dirs.forEach((dir) => madeDirs.delete(dir));
    makeDirs(dirs);
    createFiles(files);
  }
}

/** Fresh files for this attempt; the stage's summary and saved state are kept when they exist. */
function createFiles(files: AttemptFiles): void {
  for (const file of [files.outputFile, files.envFile, files.pathFile]) touch(file, 'w');
  for (const file of [files.summaryFile, files.savedStateFile]) touch(file, 'a');
}

/** Opens `file` with `flags` (owner-only when it is made) and closes it again. */
function touch(file: string, flags: 'w' | 'a'): void {
  closeSync(openSync(file, flags, 0o600));
}

function makeDirs(dirs: readonly string[]): void {
  for (const dir of dirs) mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (madeDirs.size > MADE_DIRS_LIMIT) madeDirs.clear();
  dirs.forEach((dir) => madeDirs.add(dir));
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

/** Opens an attached attempt's log for appending, with the bytes it already holds. */
export async function prepareAttachedLog(
  file: string,
  onLogError: (error: StoreError) => void,
): Promise<{ readonly log: LogWriter; readonly size: number }> {
  const size = await fs.stat(file).then(
    (stat) => stat.size,
    () => 0,
  );
  return { log: await LogWriter.open(file, { onError: onLogError }), size };
}
