import { isJsonPipelineFile } from './files';
import { readJsonSource } from './jsonSource';
import type { SourceNode } from './sourceNode';
import { readYamlSource } from './yamlSource';

/**
 * The position-carrying value tree of a pipeline file, as the validator reads
 * it (JSON for `.json` files, YAML otherwise), for editor features that work
 * on the text: symbols, references, hover. Undefined when the text does not
 * parse; {@link parsePipeline} says why.
 */
export function readSourceTree(text: string, file: string): SourceNode | undefined {
  try {
    return (isJsonPipelineFile(file) ? readJsonSource(text, file) : readYamlSource(text, file))
      .root;
  } catch {
    // parsePipeline reports what went wrong; a tree-less file simply has no features.
    return undefined;
  }
}
