import * as assert from 'node:assert/strict';
import { diagnosticRows as diagnostics, yaml } from './helpers';

const HELP =
  'use ${{ inputs.<id> }}, ${{ stages.<stage>.outputs.<name> }}, ${{ matrix.<key> }} or ${{ item }}';
const NOT_SUBSTITUTED =
  'expressions are substituted only in run, cwd and env; this glob would be used as written and never match.';
const SINGLE_QUOTED =
  'stages.a.run: this expression is inside single quotes, where the shell will not expand it; use double quotes.';
const UNQUOTE = {
  find: '${{ inputs.x }}',
  replaceWith: `'"\${{ inputs.x }}"'`,
  title: 'Leave the single quotes around this expression',
};

describe('pipeline: expressions in stages and env, each problem where it is written', () => {
  it('reports an expression in each glob field (outputs, watch, deps), listed or single', () => {
    const text = yaml(
      'inputs: { topic: {} }',
      'stages:',
      '  a:',
      '    run: x',
      '    outputs: ["o/${{ inputs.topic }}", plain, 3]',
      '    watch: "w/${{ x }}"',
      '    deps: ["d/${{ inputs.topic }}/*"]',
    );
    assert.deepEqual(diagnostics(text), [
      ['error', 'expression-not-substituted', 5, 15, 5, 38, `stages.a.outputs: ${NOT_SUBSTITUTED}`],
      ['error', 'expression-not-substituted', 6, 12, 6, 24, `stages.a.watch: ${NOT_SUBSTITUTED}`],
      ['error', 'expression-not-substituted', 7, 12, 7, 37, `stages.a.deps: ${NOT_SUBSTITUTED}`],
    ]);
  });

  it('checks run, cwd, each env value and foreach, each occurrence at its own place', () => {
    const text = yaml(
      'inputs: { topic: {} }',
      'stages:',
      '  a:',
      '    run: echo ${{ inputs.tpoic }} ${{ inputs.tpoic }} ${{ bad }} ${{ inputs.topic }}',
      '    cwd: ${{ inputs.nope }}',
      '    env: { A: "${{ inputs.zz }}", B: 3 }',
      '    foreach: "${{ inputs.ff }}"',
    );
    const fix = { find: 'inputs.tpoic', replaceWith: 'inputs.topic' };
    const typo = 'stages.a.run: there is no input "tpoic". Did you mean "topic"?';
    assert.deepEqual(diagnostics(text), [
      ['error', 'unknown-input', 4, 15, 4, 34, typo, fix],
      ['error', 'unknown-input', 4, 35, 4, 54, typo, fix],
      ['error', 'bad-expression', 4, 55, 4, 58, `stages.a.run: unknown expression "bad"; ${HELP}.`],
      ['error', 'unknown-input', 5, 10, 5, 28, 'stages.a.cwd: there is no input "nope".'],
      ['error', 'unknown-input', 6, 16, 6, 32, 'stages.a.env.A: there is no input "zz".'],
      ['error', 'unknown-input', 7, 15, 7, 31, 'stages.a.foreach: there is no input "ff".'],
    ]);
  });

  it('points at the whole value when an escape hides where the expression is written', () => {
    const text = yaml(
      'inputs: { q: {} }',
      'stages:',
      '  a:',
      '    run: "echo \\x24{{ inputs.qq }} ${{ inputs.q }}"',
    );
    assert.deepEqual(diagnostics(text), [
      [
        'error',
        'unknown-input',
        4,
        10,
        4,
        52,
        'stages.a.run: there is no input "qq". Did you mean "q"?',
        { find: 'inputs.qq', replaceWith: 'inputs.q' },
      ],
    ]);
  });

  it('reports broken expressions in the order they are written, three characters long', () => {
    assert.deepEqual(diagnostics(yaml('stages:', '  a:', '    run: echo ${{ }} ${{ inputs.q')), [
      [
        'error',
        'bad-expression',
        3,
        15,
        3,
        18,
        `stages.a.run: the expression \${{ }} is empty; ${HELP}.`,
      ],
      ['error', 'bad-expression', 3, 22, 3, 25, 'stages.a.run: this ${{ is never closed with }}.'],
    ]);
  });

  it('lets top-level env read inputs only', () => {
    const text = yaml(
      'inputs: { topic: {} }',
      'env:',
      '  A: ${{ inputs.topic }}',
      '  B: ${{ stages.a.outputs.o }}',
      '  C: ${{ inputs.tpic }}',
      '  D: 4',
      'stages:',
      '  a:',
      '    run: x',
    );
    assert.deepEqual(diagnostics(text), [
      [
        'error',
        'stage-output-outside-stage',
        4,
        6,
        4,
        31,
        'env.B: stages.a.outputs can only be used inside a stage that needs "a".',
      ],
      [
        'error',
        'unknown-input',
        5,
        6,
        5,
        24,
        'env.C: there is no input "tpic". Did you mean "topic"?',
        { find: 'inputs.tpic', replaceWith: 'inputs.topic' },
      ],
    ]);
  });

  it('lets a stage read the outputs of the stages it needs, not its own or unknown ones', () => {
    const text = yaml(
      'stages:',
      '  build:',
      '    run: x',
      '  test:',
      '    run: echo ${{ stages.biuld.outputs.o }} ${{ stages.test.outputs.o }}',
      '  deploy:',
      '    needs: [test]',
      '    run: echo ${{ stages.build.outputs.o }}',
      '  c:',
      '    needs: [zz]',
      '    run: echo ${{ stages.zzzzzz.outputs.o }}',
      '  d:',
      '    needs: [deploy]',
      '    run: echo ${{ stages.test.outputs.o }}',
    );
    assert.deepEqual(diagnostics(text), [
      [
        'error',
        'unknown-stage',
        5,
        15,
        5,
        44,
        'stages.test: there is no stage "biuld". Did you mean "build"?',
        { find: 'stages.biuld.', replaceWith: 'stages.build.' },
      ],
      [
        'error',
        'self-reference',
        5,
        45,
        5,
        73,
        'stages.test: a stage cannot read its own outputs; they exist only after it finishes.',
      ],
      [
        'error',
        'not-a-dependency',
        8,
        15,
        8,
        44,
        'stages.deploy: reads stages.build.outputs.o, but "build" is not among its needs (directly or through other stages), so it may not have run yet. Add "build" to needs.',
      ],
      ['error', 'unknown-need', 10, 13, 10, 15, 'stages.c.needs: there is no stage "zz".'],
      ['error', 'unknown-stage', 11, 15, 11, 45, 'stages.c: there is no stage "zzzzzz".'],
    ]);
  });

  it('warns of expressions inside the shell single quotes of run, and only there', () => {
    const text = yaml(
      'inputs: { x: {} }',
      'stages:',
      '  a:',
      `    run: echo '\${{ inputs.x }}' "\${{ inputs.x }}" 'a\\' \${{ inputs.x }} "'\${{ inputs.x }}'" '\${{ inputs.x }}`,
      `    cwd: "'\${{ inputs.x }}'"`,
    );
    assert.deepEqual(diagnostics(text), [
      ['warning', 'quoted-expression', 4, 16, 4, 31, SINGLE_QUOTED, UNQUOTE],
      ['warning', 'quoted-expression', 4, 93, 4, 108, SINGLE_QUOTED, UNQUOTE],
    ]);
    // In a quoted YAML value the added quotes would end the value: a warning without a fix.
    const quoted = yaml(
      'inputs: { x: {} }',
      'stages:',
      '  a:',
      `    run: "echo '\${{ inputs.x }}'"`,
    );
    assert.deepEqual(diagnostics(quoted), [
      ['warning', 'quoted-expression', 4, 17, 4, 32, SINGLE_QUOTED],
    ]);
    // Nor in a single-quoted YAML value, nor when a folded value hides where the expression is.
    const yamlQuoted = yaml(
      'inputs: { x: {} }',
      'stages:',
      '  a:',
      "    run: 'echo ''${{ inputs.x }}'''",
    );
    assert.deepEqual(diagnostics(yamlQuoted), [
      ['warning', 'quoted-expression', 4, 18, 4, 33, SINGLE_QUOTED],
    ]);
    const folded = yaml(
      'inputs: { x: {} }',
      'stages:',
      '  a:',
      '    run: >',
      "      echo '${{",
      "      inputs.x }}'",
    );
    assert.deepEqual(diagnostics(folded), [
      ['warning', 'quoted-expression', 4, 10, 7, 1, SINGLE_QUOTED],
    ]);
    // A quote escaped with a backslash opens nothing.
    const escaped = yaml(
      'inputs: { x: {} }',
      'stages:',
      '  a:',
      "    run: echo \\'${{ inputs.x }} 'b'",
    );
    assert.deepEqual(diagnostics(escaped), []);
    // A run that is not text has no template; the cwd after it is not a command.
    const number = yaml(
      'inputs: { x: {} }',
      'stages:',
      '  a:',
      '    run: 5',
      `    cwd: '\${{ inputs.x }}'`,
    );
    assert.deepEqual(diagnostics(number), []);
  });

  it('knows item and matrix keys only in stages that fan out, include keys too', () => {
    const text = yaml(
      'stages:',
      '  a:',
      '    run: echo ${{ item }} ${{ matrix.os }}',
      '  b:',
      '    matrix: { os: [l], include: [{ extra: 1 }] }',
      '    run: echo ${{ item }} ${{ matrix.os }} ${{ matrix.extra }} ${{ matrix.oss }} ${{ matrix.qqqqq }}',
      '  c:',
      '    foreach: "*.txt"',
      '    run: echo ${{ item }} ${{ matrix.k }}',
    );
    assert.deepEqual(diagnostics(text), [
      [
        'error',
        'item-outside-fan-out',
        3,
        15,
        3,
        26,
        'stages.a.run: "item" exists only in a stage with "foreach" or "matrix".',
      ],
      [
        'error',
        'unknown-matrix-key',
        3,
        27,
        3,
        43,
        'stages.a.run: matrix.os exists only in a stage with "matrix".',
      ],
      [
        'error',
        'unknown-matrix-key',
        6,
        64,
        6,
        81,
        'stages.b.run: the matrix has no key "oss". Did you mean "os"?',
        { find: 'oss', replaceWith: 'os' },
      ],
      [
        'error',
        'unknown-matrix-key',
        6,
        82,
        6,
        101,
        'stages.b.run: the matrix has no key "qqqqq".',
      ],
      [
        'error',
        'unknown-matrix-key',
        9,
        27,
        9,
        42,
        'stages.c.run: matrix.k exists only in a stage with "matrix".',
      ],
    ]);
  });
});
