import * as assert from 'node:assert/strict';
import type { Diagnostic, Pipeline } from '../../src/pipeline/model';
import { parsePipeline } from '../../src/pipeline/parsePipeline';

/** Joins lines with `\n`, so test files read like the YAML they hold. */
export function yaml(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/** Parses `text` as `test.pipeline.yaml` (or the given file name). */
export function parse(text: string, file = 'test.pipeline.yaml'): ReturnType<typeof parsePipeline> {
  return parsePipeline(text, file);
}

/** Parses and asserts the file is valid with no diagnostics at all. */
export function parseValid(text: string, file = 'test.pipeline.yaml'): Pipeline {
  const result = parsePipeline(text, file);
  assert.deepEqual(result.diagnostics, [], 'expected no diagnostics');
  assert.ok(result.pipeline, 'expected a pipeline');
  return result.pipeline;
}

/** Parses and returns the single diagnostic with `code`, asserting there is exactly one and no pipeline. */
export function onlyDiagnostic(
  text: string,
  code: string,
  file = 'test.pipeline.yaml',
): Diagnostic {
  const result = parsePipeline(text, file);
  const matching = result.diagnostics.filter((d) => d.code === code);
  assert.equal(
    matching.length,
    1,
    `expected one "${code}", got: ${JSON.stringify(result.diagnostics, null, 1)}`,
  );
  const found = matching[0];
  assert.ok(found);
  if (found.severity === 'error') assert.equal(result.pipeline, undefined);
  return found;
}

/** A minimal valid pipeline body to extend in tests. */
export const MINIMAL = yaml('stages:', '  build:', '    run: make');
