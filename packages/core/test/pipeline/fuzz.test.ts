import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { INPUT_KEYS, RETRY_KEYS, STAGE_KEYS, TOP_LEVEL_KEYS } from '../../src/pipeline/keys';
import { parsePipeline } from '../../src/pipeline/parsePipeline';
import type { ParseResult } from '../../src/pipeline/parsePipeline';
import { yaml } from './helpers';

const VALID = yaml(
  'name: Fuzz',
  'concurrency: 2',
  'env: &env { A: "1", B: "${{ inputs.who }}" }',
  'secrets: [TOKEN]',
  'inputs:',
  '  who: { prompt: Who?, type: choice, options: [me, you], default: me, timeout: 5m }',
  '  n: { type: number, default: 3 }',
  'schedule: { cron: "*/5 * * * *", overlap: queue }',
  'stages:',
  '  a: &a',
  '    run: echo "${{ inputs.who }}"',
  '    env: *env',
  '    retry: { attempts: 3, backoff: 1s, factor: 2, max_backoff: 1m, jitter: 0.1, on_exit_codes: [75] }',
  '  b:',
  '    <<: *a',
  '    needs: [a]',
  '    run: echo "${{ stages.a.outputs.x }}"',
  '    timeout: 1h30m',
  '    outputs: [out/*.json]',
);

/** Characters that make up YAML and expression syntax, so random text hits the parser's edges. */
const SYNTAX = [...':-[]{},#&*!|>\'"%@?\n\t $.\\01aZ_'].concat([
  '${{',
  '}}',
  'stages',
  'inputs',
  'run',
  '<<',
  '---',
]);

/** What must hold for every result, whatever the input. */
function assertWellFormed(result: ParseResult, file: string): void {
  assert.ok(Array.isArray(result.diagnostics));
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(
    result.pipeline === undefined,
    errors.length > 0,
    'a pipeline exactly when there are no errors',
  );
  for (const d of result.diagnostics) {
    assert.equal(d.file, file);
    assert.ok(Number.isInteger(d.line) && d.line >= 1, `line ${d.line}`);
    assert.ok(Number.isInteger(d.column) && d.column >= 1, `column ${d.column}`);
    assert.ok(d.code.length > 0 && d.message.length > 0);
  }
}

/**
 * Far above any real parse (milliseconds); it catches blow-ups such as
 * exponential alias expansion or quadratic scans, not slowness, which the
 * benchmarks measure.
 */
const BLOW_UP_MS = 5_000;

function check(text: string, file: string): void {
  const started = performance.now();
  const result = parsePipeline(text, file);
  const elapsed = performance.now() - started;
  assert.ok(
    elapsed < BLOW_UP_MS,
    `parsing took ${Math.round(elapsed)} ms: ${JSON.stringify(text.slice(0, 200))}`,
  );
  assertWellFormed(result, file);
}

/** A random edit of `text`: delete, insert, duplicate or swap a piece. */
const mutation = fc.tuple(
  fc.constantFrom('delete', 'insert', 'duplicate', 'swapLines'),
  fc.nat(),
  fc.nat(),
  fc.string({ unit: fc.constantFrom(...SYNTAX), maxLength: 8 }),
);

function mutate(text: string, [kind, a, b, insert]: [string, number, number, string]): string {
  const i = a % (text.length + 1);
  const j = Math.min(text.length, i + (b % 20));
  if (kind === 'delete') return text.slice(0, i) + text.slice(j);
  if (kind === 'insert') return text.slice(0, i) + insert + text.slice(i);
  if (kind === 'duplicate') return text.slice(0, j) + text.slice(i, j) + text.slice(j);
  const lines = text.split('\n');
  const x = a % lines.length;
  const y = b % lines.length;
  [lines[x], lines[y]] = [lines[y] ?? '', lines[x] ?? ''];
  return lines.join('\n');
}

/** Values shaped roughly like a pipeline, with random values under real keys. */
const keyed = (keys: readonly string[], value: fc.Arbitrary<unknown>) =>
  fc.dictionary(fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 6 })), value, {
    maxKeys: 6,
  });

const pipelineLike = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(
      '5m',
      '0s',
      '1h30m',
      '${{ inputs.a }}',
      '${{ stages.a.outputs.b }}',
      '${{',
      'a',
    ),
    tie('retry'),
    tie('input'),
  ),
  retry: keyed(RETRY_KEYS, fc.oneof(fc.double(), fc.integer(), fc.string({ maxLength: 4 }))),
  input: keyed(
    INPUT_KEYS,
    fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.constantFrom('choice', 'multi', 'number')),
  ),
  stage: keyed(STAGE_KEYS, tie('value')),
  stages: fc.dictionary(fc.constantFrom('a', 'b', 'c', '1x', 'a-b'), tie('stage'), { maxKeys: 4 }),
  top: keyed(TOP_LEVEL_KEYS, fc.oneof(tie('value'), tie('stages'))),
}));

describe('parsePipeline never throws', function () {
  // A hang fails through the suite's timeout, a blow-up through BLOW_UP_MS.
  this.timeout(120_000);

  it('on random text, as YAML and as JSON', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.string({ unit: fc.constantFrom(...SYNTAX), maxLength: 400 }),
    );
    fc.assert(
      fc.property(text, (t) => {
        check(t, 'f.pipeline.yaml');
        check(t, 'f.pipeline.json');
      }),
      { numRuns: 1500 },
    );
  });

  it('on mutations of a valid file', () => {
    check(VALID, 'valid.pipeline.yaml');
    assert.ok(parsePipeline(VALID, 'valid.pipeline.yaml').pipeline);
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 5 }), (edits) => {
        const text = edits.reduce((t, edit) => mutate(t, edit), VALID);
        check(text, 'valid.pipeline.yaml');
      }),
      { numRuns: 1500 },
    );
  });

  it('on pipeline-shaped values written as YAML and JSON', () => {
    fc.assert(
      fc.property(pipelineLike.top, (value) => {
        check(stringify(value), 'shaped.pipeline.yaml');
        check(JSON.stringify(value), 'shaped.pipeline.json');
      }),
      { numRuns: 800 },
    );
  });

  it('on pathological inputs', () => {
    const cases = [
      '['.repeat(50_000),
      '{'.repeat(50_000),
      `${'- '.repeat(5_000)}x`,
      `stages:\n  a:\n    run: "${'${{ inputs.x }}'.repeat(5_000)}"\n`,
      `stages:\n  a:\n    run: "${'${{'.repeat(10_000)}"\n`,
      `stages:\n${Array.from({ length: 500 }, (_, i) => `  s${i}: { run: x, needs: [s${(i + 1) % 500}] }`).join('\n')}\n`,
      `a: &a [*a]\nstages: { s: { run: x } }\n`,
      `x: ${'a'.repeat(200_000)}\n`,
      '\u0000\uFFFF\uD800',
    ];
    for (const text of cases) {
      check(text, 'p.pipeline.yaml');
      check(text, 'p.pipeline.json');
    }
  });

  it('on arguments of the wrong type from untyped callers', () => {
    const untyped = parsePipeline as unknown as (text: unknown, file: unknown) => ParseResult;
    for (const value of [undefined, null, 42, {}, []]) {
      assert.ok(Array.isArray(untyped(value, 'x.pipeline.yaml').diagnostics));
      assert.ok(Array.isArray(untyped('stages: {a: {run: x}}', value).diagnostics));
    }
  });
});
