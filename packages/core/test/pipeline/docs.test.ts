import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePipeline } from '../../src/pipeline/parsePipeline';
import { compileSchema, plainValue, repoRoot } from './repo';

/** The ```yaml blocks of docs/pipeline-format.md that are whole pipelines (they have top-level `stages:`). */
function documentedPipelines(): string[] {
  const text = readFileSync(join(repoRoot(), 'docs', 'pipeline-format.md'), 'utf8');
  const blocks = [...text.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
  return blocks.filter((block) => /^stages:/m.test(block));
}

describe('docs/pipeline-format.md', () => {
  const pipelines = documentedPipelines();

  it('has whole example pipelines', () => {
    assert.ok(pipelines.length >= 3, `found ${pipelines.length}`);
  });

  pipelines.forEach((text, index) => {
    it(`example ${index + 1} parses with no diagnostics and fits the schema`, () => {
      assert.deepEqual(parsePipeline(text, 'doc.pipeline.yaml').diagnostics, []);
      const validate = compileSchema();
      assert.equal(
        validate(plainValue(text, 'doc.pipeline.yaml')),
        true,
        JSON.stringify(validate.errors),
      );
    });
  });
});
