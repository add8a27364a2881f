import * as assert from 'node:assert/strict';
import { parsePipeline } from '../../src/pipeline/parsePipeline';
import { readSourceTree } from '../../src/pipeline/sourceTree';
import { yaml } from './helpers';

const RETRY = { attempts: 1, backoffMs: 1000, factor: 2, maxBackoffMs: 100_000, jitter: 0 };
const STAGE_A = {
  id: 'a',
  run: 'x',
  env: {},
  needs: [],
  retry: RETRY,
  outputs: [],
  watch: [],
  deps: [],
  cache: true,
  continueOnError: false,
};

describe('pipeline: parsePipeline as a whole', () => {
  it('answers untyped callers that pass no text or no file name', () => {
    const call = parsePipeline as (
      text: unknown,
      file: unknown,
    ) => ReturnType<typeof parsePipeline>;
    assert.deepEqual(call(5, 6), {
      diagnostics: [
        {
          file: '(unnamed pipeline file)',
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 1,
          severity: 'error',
          code: 'empty-file',
          message: 'The file is empty; a pipeline needs at least "stages".',
        },
      ],
    });
  });

  it('names a pipeline after its file when it has no name, and leaves optional fields out', () => {
    const result = parsePipeline('stages: { a: { run: x } }\n', 'dir/my-flow.pipeline.yaml');
    assert.deepEqual(result, {
      pipeline: {
        id: 'my-flow',
        file: 'dir/my-flow.pipeline.yaml',
        name: 'my-flow',
        inputs: [],
        env: {},
        secretEnv: [],
        stages: [{ ...STAGE_A, position: { line: 1, column: 11 } }],
      },
      diagnostics: [],
    });
  });

  it('reads every top-level field', () => {
    const text = yaml(
      'name: N',
      'description: D',
      'env_file: .env.x',
      'concurrency: 3',
      'schedule: "0 2 * * *"',
      'venv: .v',
      'env: { A: b }',
      'secrets: [TOKEN]',
      'stages: { a: { run: x } }',
    );
    assert.deepEqual(parsePipeline(text, 'p.pipeline.yaml').pipeline, {
      id: 'p',
      file: 'p.pipeline.yaml',
      name: 'N',
      inputs: [],
      env: { A: 'b' },
      secretEnv: ['TOKEN'],
      stages: [{ ...STAGE_A, position: { line: 9, column: 11 }, venv: '.v' }],
      venv: '.v',
      description: 'D',
      envFile: '.env.x',
      concurrency: 3,
      schedule: { cron: '0 2 * * *', overlap: 'skip' },
    });
  });

  it('reads .json files as strict JSON', () => {
    const json = '{"stages": {"a": {"run": "x"}}}';
    assert.deepEqual(parsePipeline(json, 'p.pipeline.json').pipeline?.stages, [
      { ...STAGE_A, position: { line: 1, column: 13 } },
    ]);
    assert.deepEqual(
      parsePipeline('{"stages": {"a": {"run": "x"}}, }', 'p.pipeline.json').diagnostics.map((d) => [
        d.code,
        d.column,
      ]),
      [['json-syntax', 33]],
    );
  });

  it('gives editors the value tree of YAML and JSON files, and none for a broken file', () => {
    assert.deepEqual(readSourceTree('{"a": 1}', 'p.pipeline.json'), {
      kind: 'map',
      range: { start: 0, end: 8 },
      entries: [
        {
          key: 'a',
          keyRange: { start: 1, end: 4 },
          value: { kind: 'scalar', range: { start: 6, end: 7 }, value: 1, text: '1' },
        },
      ],
    });
    assert.deepEqual(readSourceTree('a: 1\n', 'p.pipeline.yaml'), {
      kind: 'map',
      range: { start: 0, end: 5 },
      entries: [
        {
          key: 'a',
          keyRange: { start: 0, end: 1 },
          value: { kind: 'scalar', range: { start: 3, end: 4 }, value: 1, text: '1' },
        },
      ],
    });
    assert.equal(readSourceTree('a: [1', 'p.pipeline.yaml'), undefined);
  });
});
