import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { DURATION_PATTERN, parseDuration } from '../../src/pipeline/duration';
import {
  EXECUTOR_KEYS,
  INPUT_KEYS,
  RETRY_KEYS,
  SCHEDULE_KEYS,
  STAGE_KEYS,
  TOP_LEVEL_KEYS,
} from '../../src/pipeline/keys';
import { pipelineJsonSchema } from '../../src/pipeline/schema';
import { compileSchema, plainValue, repoRoot } from './repo';

const sorted = (keys: Iterable<string>): string[] => [...keys].sort();

describe('the pipeline JSON Schema', () => {
  it('is committed as schema/pipeline.schema.json, equal to the constant in schema.ts', () => {
    const file = join(repoRoot(), 'schema', 'pipeline.schema.json');
    const committed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    assert.deepEqual(
      committed,
      JSON.parse(JSON.stringify(pipelineJsonSchema)),
      'schema/pipeline.schema.json is out of date; regenerate it with: npx tsc -b && node scripts/write-schema.mjs',
    );
  });

  it('names exactly the keys the validator accepts, at every level', () => {
    const { properties, definitions } = pipelineJsonSchema;
    assert.deepEqual(sorted(Object.keys(properties)), sorted(TOP_LEVEL_KEYS));
    assert.deepEqual(sorted(Object.keys(definitions.stage.properties)), sorted(STAGE_KEYS));
    assert.deepEqual(sorted(Object.keys(definitions.input.properties)), sorted(INPUT_KEYS));
    assert.deepEqual(sorted(Object.keys(definitions.retry.properties)), sorted(RETRY_KEYS));
    assert.deepEqual(
      sorted(Object.keys(definitions.schedule.anyOf[1].properties)),
      sorted(SCHEDULE_KEYS),
    );
    assert.deepEqual(
      sorted(Object.keys(definitions.executor.anyOf[1].properties)),
      sorted(EXECUTOR_KEYS),
    );
  });

  it('is a valid draft-07 schema (Ajv strict mode compiles it)', () => {
    assert.equal(typeof compileSchema(), 'function');
  });

  it('describes every property, for hover text and completion', () => {
    const undocumented: string[] = [];
    const visit = (node: unknown, path: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const record = node as Record<string, unknown>;
      const properties = record['properties'];
      if (typeof properties === 'object' && properties !== null) {
        for (const [key, value] of Object.entries(properties)) {
          const described =
            (value as Record<string, unknown>)['description'] !== undefined ||
            '$ref' in (value as object);
          if (!described) undocumented.push(`${path}.${key}`);
        }
      }
      for (const [key, value] of Object.entries(record)) visit(value, `${path}.${key}`);
    };
    visit(pipelineJsonSchema, '#');
    assert.deepEqual(undocumented, []);
  });

  it('accepts a full valid pipeline and rejects typical mistakes', () => {
    const validate = compileSchema();
    const good = [
      'name: x',
      'inputs: { p: { type: choice, options: [a, b], default: a, timeout: 5m }, q: }',
      'schedule: { cron: "0 2 * * *", overlap: cancel-running, timezone: UTC }',
      'env: { A: 1 }',
      'secrets: [TOKEN]',
      'stages:',
      '  a: { run: x, timeout: 1h30m, retry: { attempts: 2, backoff: 500ms }, outputs: out.txt }',
      '  b: { run: y, needs: a, retries: 3, continue_on_error: true }',
    ].join('\n');
    assert.equal(
      validate(plainValue(good, 'g.pipeline.yaml')),
      true,
      JSON.stringify(validate.errors),
    );
    const bad = [
      'stages: { a: { run: x, tiemout: 5m } }',
      'stages: { a: { run: x, timeout: 5 minutes } }',
      'stages: { a: { run: x, timeout: 30 } }',
      'stages: { a: { run: x, retry: { jitter: 2 } } }',
      'stages: { 1st: { run: x } }',
      'stages: {}',
      'name: only a name',
      'schedule: { overlap: skip }\nstages: { a: { run: x } }',
    ];
    for (const text of bad)
      assert.equal(validate(plainValue(text, 'b.pipeline.yaml')), false, text);
  });

  it('agrees with parseDuration on what a duration is', () => {
    const pattern = new RegExp(DURATION_PATTERN);
    const durationish = fc.string({
      unit: fc.constantFrom('1', '0', '5', '.', 'h', 'm', 's', 'ms', 'd'),
      maxLength: 8,
    });
    fc.assert(
      fc.property(
        durationish,
        (text) => pattern.test(text) === (parseDuration(text) !== undefined),
      ),
      { numRuns: 3000 },
    );
  });
});
