import { promises as fs } from 'node:fs';
import { readOutputFile } from '../output/outputFile';
import type { SessionServices } from './run/runSession';
import { watchStageFiles } from './attempt/watchFiles';

/** How output files and watched files are read, unless an engine is given others. */
export function defaultOutputServices(): Pick<SessionServices, 'readOutputs' | 'startWatching'> {
  return {
    readOutputs: async (file) =>
      (await holdsAnything(file)) ? (await readOutputFile(file)).outputs : {},
    startWatching: watchStageFiles,
  };
}

/**
 * Whether a stage wrote anything to its `$BATON_OUTPUT`. Most stages write
 * nothing to the file made empty for them, and one `stat` answers that where
 * reading it takes an open, a stat, a read and a close. When `stat` fails for
 * another reason than a missing file, the reader is left to say why.
 */
async function holdsAnything(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).size > 0;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}
