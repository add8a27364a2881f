import * as assert from 'node:assert/strict';
import { MINIMAL, parse, parseValid, yaml } from './helpers';

const FULL = yaml(
  'name: Literature review',
  'description: Re-assess pillars',
  'concurrency: 2',
  'env: { LANG: C.UTF-8, TOKEN_FILE: "${{ inputs.token }}" }',
  'secrets: [API_TOKEN]',
  'inputs:',
  '  pillars:',
  '    prompt: What would you like to re-assess?',
  '    type: choice',
  '    options: [Pillar 1, Pillar 2, ALL, DEEP]',
  '    default: ALL',
  '    timeout: 5m',
  '  token: { type: text, secret: true }',
  '  depth: { type: number, default: 2.5 }',
  '  sure: { type: confirm, default: false }',
  '  parts: { type: multi, options: [a, b, c], default: [a, c] }',
  'schedule: { cron: "0 2 * * *", overlap: queue, timezone: Europe/Berlin }',
  'stages:',
  '  translate:',
  '    run: python translate.py --pillars "${{ inputs.pillars }}"',
  '    cwd: tools',
  '    env: { MODE: fast, PORT: 8080 }',
  '    timeout: 10m',
  '    idle_timeout: 2m',
  '    retry: { attempts: 3, backoff: 2s, factor: 3, max_backoff: 1m, jitter: 0.2, on_exit_codes: [75] }',
  '    outputs: [out/translated/*.json]',
  '    watch: [status/*.jsonl, logs/*.log]',
  '    deps: [data/*.csv, translate.py]',
  '    cache: false',
  '    continue_on_error: true',
  '  analyze:',
  '    needs: [translate]',
  '    run: python analyze.py --count "${{ stages.translate.outputs.count }}"',
  '  report:',
  '    needs: analyze',
  '    retries: 4',
  '    run: |',
  '      echo "${{ stages.translate.outputs.count }}"',
  '      make report',
);

describe('parsePipeline on valid files', () => {
  it('reads every field of the documented format into the model', () => {
    const p = parseValid(FULL, '/work/lit-review.pipeline.yaml');
    assert.equal(p.id, 'lit-review');
    assert.equal(p.file, '/work/lit-review.pipeline.yaml');
    assert.equal(p.name, 'Literature review');
    assert.equal(p.description, 'Re-assess pillars');
    assert.equal(p.concurrency, 2);
    assert.deepEqual(p.env, { LANG: 'C.UTF-8', TOKEN_FILE: '${{ inputs.token }}' });
    assert.deepEqual(p.secretEnv, ['API_TOKEN']);
    assert.deepEqual(p.schedule, {
      cron: '0 2 * * *',
      overlap: 'queue',
      timezone: 'Europe/Berlin',
    });
    assert.deepEqual(
      p.inputs.map((i) => [i.id, i.type, i.default]),
      [
        ['pillars', 'choice', 'ALL'],
        ['token', 'text', undefined],
        ['depth', 'number', 2.5],
        ['sure', 'confirm', false],
        ['parts', 'multi', ['a', 'c']],
      ],
    );
    assert.deepEqual(p.inputs[0], {
      id: 'pillars',
      prompt: 'What would you like to re-assess?',
      type: 'choice',
      options: ['Pillar 1', 'Pillar 2', 'ALL', 'DEEP'],
      default: 'ALL',
      timeoutMs: 300_000,
      position: { line: 7, column: 3 },
    });
    assert.equal(p.inputs[1]?.secret, true);
    const [translate, analyze, report] = p.stages;
    assert.deepEqual(translate, {
      id: 'translate',
      run: 'python translate.py --pillars "${{ inputs.pillars }}"',
      cwd: 'tools',
      env: { MODE: 'fast', PORT: '8080' },
      needs: [],
      timeoutMs: 600_000,
      idleTimeoutMs: 120_000,
      retry: {
        attempts: 3,
        backoffMs: 2_000,
        factor: 3,
        maxBackoffMs: 60_000,
        jitter: 0.2,
        onExitCodes: [75],
      },
      outputs: ['out/translated/*.json'],
      watch: ['status/*.jsonl', 'logs/*.log'],
      deps: ['data/*.csv', 'translate.py'],
      cache: false,
      continueOnError: true,
      position: { line: 19, column: 3 },
    });
    assert.deepEqual(analyze?.needs, ['translate']);
    assert.deepEqual(report?.needs, ['analyze']);
    assert.equal(report?.retry.attempts, 4);
    assert.equal(report?.run, 'echo "${{ stages.translate.outputs.count }}"\nmake report\n');
  });

  it('fills in every default', () => {
    const p = parseValid(
      yaml('inputs:', '  who:', 'stages:', '  build:', '    run: make'),
      'x/demo.pipeline.yml',
    );
    assert.equal(p.name, 'demo');
    assert.equal(p.concurrency, undefined);
    assert.equal(p.schedule, undefined);
    assert.deepEqual(p.env, {});
    assert.deepEqual(p.secretEnv, []);
    assert.deepEqual(p.inputs, [
      { id: 'who', prompt: 'who', type: 'text', position: { line: 2, column: 3 } },
    ]);
    assert.deepEqual(p.stages[0], {
      id: 'build',
      run: 'make',
      env: {},
      needs: [],
      retry: { attempts: 1, backoffMs: 1_000, factor: 2, maxBackoffMs: 100_000, jitter: 0 },
      outputs: [],
      watch: [],
      deps: [],
      cache: true,
      continueOnError: false,
      position: { line: 4, column: 3 },
    });
  });

  it('derives max_backoff from backoff and keeps the default schedule overlap', () => {
    const p = parseValid(
      yaml(
        'schedule: "@daily"',
        'stages:',
        '  a:',
        '    run: x',
        '    retry: { attempts: 2, backoff: 500ms }',
      ),
    );
    assert.deepEqual(p.schedule, { cron: '@daily', overlap: 'skip' });
    assert.equal(p.stages[0]?.retry.maxBackoffMs, 50_000);
  });

  it('resolves anchors, aliases and << merge keys, explicit keys winning', () => {
    const p = parseValid(
      yaml(
        'env: &common { A: "1" }',
        'stages:',
        '  one: &base',
        '    run: echo one',
        '    timeout: 5m',
        '    env: *common',
        '  two:',
        '    <<: *base',
        '    run: echo two',
      ),
    );
    assert.deepEqual(
      p.stages.map((s) => [s.id, s.run, s.timeoutMs, s.env]),
      [
        ['one', 'echo one', 300_000, { A: '1' }],
        ['two', 'echo two', 300_000, { A: '1' }],
      ],
    );
  });

  it('reads JSON files with the same result as YAML', () => {
    const json = JSON.stringify({
      name: 'J',
      inputs: { n: { type: 'number', default: 3 } },
      stages: {
        a: { run: 'echo ${{ inputs.n }}', retries: 2 },
        b: { needs: ['a'], run: 'echo b' },
      },
    });
    const fromJson = parseValid(json, 'j.pipeline.json');
    const fromYaml = parseValid(json, 'j.pipeline.yaml');
    assert.deepEqual({ ...fromJson, file: '' }, { ...fromYaml, file: '' });
    assert.equal(fromJson.id, 'j');
  });

  it('keeps scalars as written when text is expected', () => {
    const p = parseValid(
      yaml('name: 1.10', 'stages:', '  a:', '    run: 42', '    env: { V: 1.10, B: yes, T: true }'),
    );
    assert.equal(p.name, '1.10');
    assert.equal(p.stages[0]?.run, '42');
    assert.deepEqual(p.stages[0]?.env, { V: '1.10', B: 'yes', T: 'true' });
  });

  it('returns warnings without refusing the pipeline', () => {
    const result = parse(
      yaml('stages:', '  a:', "    run: echo '${{ inputs.x }}'", 'inputs: { x: {} }'),
    );
    assert.ok(result.pipeline);
    assert.deepEqual(
      result.diagnostics.map((d) => [d.severity, d.code, d.line, d.column]),
      [['warning', 'quoted-expression', 3, 16]],
    );
  });

  it('accepts the minimal pipeline', () => {
    assert.equal(parseValid(MINIMAL).stages.length, 1);
  });
});
