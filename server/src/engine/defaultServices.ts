import { readOutputFile } from '../output/outputFile';
import { LineOutputParser } from './lineOutputParser';
import type { SessionServices } from './runSession';
import { watchStageFiles } from './watchFiles';

/** How stage output, output files and watched files are read, unless an engine is given others. */
export function defaultOutputServices(): Pick<
  SessionServices,
  'createParser' | 'readOutputs' | 'startWatching'
> {
  return {
    createParser: () => new LineOutputParser(),
    readOutputs: async (file) => (await readOutputFile(file)).outputs,
    startWatching: watchStageFiles,
  };
}
