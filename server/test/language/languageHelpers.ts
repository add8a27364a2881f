/** Builds pipeline documents from text with a `|` cursor marker, for the language feature tests. */
import { createPipelineDocument, type PipelineDocument } from '../../src/language/pipelineDocument';

/** The URI test documents get. */
export const TEST_URI = 'file:///work/demo.pipeline.yaml';

/** Joins lines with `\n`. */
export function lines(...text: string[]): string {
  return `${text.join('\n')}\n`;
}

/** A document of `text` with its one `|` removed, and the cursor's offset there. */
export function withCursor(
  text: string,
  uri = TEST_URI,
): { document: PipelineDocument; offset: number } {
  const offset = text.indexOf('|');
  if (offset < 0) throw new Error('no | cursor marker in the text');
  const clean = text.slice(0, offset) + text.slice(offset + 1);
  return { document: createPipelineDocument(uri, clean), offset };
}

/** The text a range of `document` covers. */
export function textOf(
  document: PipelineDocument,
  range: { start: { line: number; character: number }; end: { line: number; character: number } },
): string {
  return document.text.slice(document.offsetAt(range.start), document.offsetAt(range.end));
}

/** A pipeline with inputs and three stages, used across the tests. */
export const DEMO = lines(
  'name: Demo',
  'inputs:',
  '  topic:',
  '    prompt: What about?',
  '    type: text',
  'stages:',
  '  fetch:',
  '    run: echo ${{ inputs.topic }}',
  '  build:',
  '    needs: fetch',
  '    run: make ${{ stages.fetch.outputs.dir }}',
  '  test:',
  '    needs: [build, fetch]',
  '    run: echo ${{ inputs.topic }} ${{ stages.build.outputs.report }}',
);
