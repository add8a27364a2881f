import { readOutputFile } from '../output/outputFile';
import { ProcessorParser } from './processorParser';
import type { SessionServices } from './runSession';
import { watchStageFiles } from './watchFiles';

/** How stage output, output files and watched files are read, unless an engine is given others. */
export function defaultOutputServices(): Pick<
  SessionServices,
  'createParser' | 'readOutputs' | 'startWatching'
> {
  return {
    createParser: () => new ProcessorParser(),
    readOutputs: async (file) => (await readOutputFile(file)).outputs,
    startWatching: watchStageFiles,
  };
}
