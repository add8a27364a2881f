import type { StageExports } from '@baton/core';
import type { Masker } from '../../output/masker';
import type { AttemptFiles } from './attemptFiles';
import { checkDeclaredOutputs, scrubFile } from './attemptFiles';
import { readStageExports, sizeOf } from './githubFiles';

/** What an ended attempt left for Baton: outputs, missing declared outputs, exports. */
export interface AttemptResults {
  readonly outputs: Record<string, string>;
  readonly missing: readonly string[];
  readonly exported?: StageExports;
}

/** What reading an attempt's results needs. */
export interface ResultSources {
  readonly files: AttemptFiles;
  readonly masker: Masker;
  /** The stage's declared `outputs:` globs. */
  readonly declared: readonly string[];
  readonly readOutputs: (file: string) => Promise<Record<string, string>>;
}

/**
 * Reads what an ended attempt left: its outputs (`$BATON_OUTPUT`), what it
 * exported (`$GITHUB_ENV`, `$GITHUB_PATH`) and, after exit 0, the declared
 * outputs that matched nothing. Then masks the files it wrote for Baton, so
 * no secret stays in the run's files. Never throws: a failure to read counts as none.
 */
export async function collectAttemptResults(
  sources: ResultSources,
  exitCode: number | undefined,
): Promise<AttemptResults> {
  const { files, masker } = sources;
  // Most attempts write none of the files: a stat each (a few microseconds,
  // on the engine's thread) says so without a trip to the thread pool.
  const [outputs, exported] = await Promise.all([
    sizeOf(files.outputFile) === 0 ? {} : sources.readOutputs(files.outputFile).catch(() => ({})),
    readStageExports(files).catch(() => undefined),
  ]);
  if (!masker.isEmpty) {
    const mask = (text: string): string => masker.mask(text);
    const { outputFile, summaryFile, envFile, pathFile } = files;
    await Promise.all(
      [outputFile, summaryFile, envFile, pathFile].map((file) => scrubFile(file, mask)),
    ).catch(() => undefined);
  }
  const missing =
    exitCode === 0
      ? await checkDeclaredOutputs(sources.declared, files.cwd).catch((error: unknown) => [
          `outputs could not be checked (${String(error)})`,
        ])
      : [];
  return { outputs, missing, ...(exported === undefined ? {} : { exported }) };
}
