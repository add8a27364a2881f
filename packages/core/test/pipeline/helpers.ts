import * as assert from 'node:assert/strict';
import type { Pipeline } from '../../src/pipeline/model';
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

/**
 * Every diagnostic of `text`, whole, as one row each: severity, code, start
 * line and column, end line and column, message, and the fix when there is one.
 */
export function diagnosticRows(text: string): unknown[][] {
  return parse(text).diagnostics.map((d) => [
    d.severity,
    d.code,
    d.line,
    d.column,
    d.endLine,
    d.endColumn,
    d.message,
    ...(d.fix === undefined ? [] : [d.fix]),
  ]);
}

/** A minimal valid pipeline body to extend in tests. */
export const MINIMAL = yaml('stages:', '  build:', '    run: make');

/** [what, file text, code, line, column, message pattern]; each case holds exactly one mistake. */
export type DiagnosticCase = readonly [string, string, string, number, number, RegExp];

/** A stage `a` with `run: x` and the given extra lines. */
export const stage = (...body: string[]): string => yaml('stages:', '  a:', '    run: x', ...body);

/** One mocha test per case: the error with `code` is reported at the expected position with a matching message. */
export function itReportsEach(cases: readonly DiagnosticCase[]): void {
  for (const [what, text, code, line, column, message] of cases) {
    it(`reports ${what} as ${code} at ${line}:${column}`, () => {
      const result = parse(text);
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      assert.equal(result.pipeline, undefined, 'no pipeline when there are errors');
      const found = errors.find((d) => d.code === code);
      assert.ok(found, `no ${code} among ${JSON.stringify(result.diagnostics, null, 1)}`);
      assert.deepEqual([found.line, found.column], [line, column], found.message);
      assert.match(found.message, message);
      assert.equal(found.file, 'test.pipeline.yaml');
      assert.ok(found.endLine !== undefined && found.endColumn !== undefined, 'has an end');
      assert.ok(
        found.endLine > found.line ||
          (found.endLine === found.line && found.endColumn >= found.column),
        'end is not before start',
      );
    });
  }
}
