import * as assert from 'node:assert/strict';
import type { ExpressionContext } from '../../src/pipeline/expressions';
import {
  ITEM_ENV,
  findReferences,
  matrixEnvName,
  substituteCommand,
  substituteText,
} from '../../src/pipeline/expressions';

const ctx: ExpressionContext = {
  inputs: { a: 'A', n: 2 },
  stageOutputs: { s: { o: 'O' }, a_: { b: 'one' }, a: { _b: 'two' } },
  item: 'it',
  matrix: { os: 'linux', 'py-v': '3.12', py_v: '3.11' },
};

describe('expressions: forms, messages and variables', () => {
  it('reads the four forms, with or without spaces inside the braces', () => {
    assert.deepEqual(findReferences('${{item}} ${{ matrix.os }} ${{inputs._x-1}}').references, [
      { kind: 'item', offset: 0, length: 9 },
      { kind: 'matrix', key: 'os', offset: 10, length: 16 },
      { kind: 'input', id: '_x-1', offset: 27, length: 16 },
    ]);
    assert.deepEqual(findReferences('${{ stages.b.outputs.c }}').references, [
      { kind: 'stageOutput', stage: 'b', output: 'c', offset: 0, length: 25 },
    ]);
  });

  it('refuses anything around or after the name of a form', () => {
    for (const inner of [
      'inputs.a.b',
      'xinputs.a',
      'inputs.',
      'inputs.1a',
      'inputs.a b',
      'matrix.os.x',
      'matrix.',
      'amatrix.os',
      'stages.a.outputs.b.c',
      'stages.a.outputs.',
      'xstages.a.outputs.b',
      'stages..outputs.b',
      'items',
      'item.x',
    ]) {
      const found = findReferences(`\${{ ${inner} }}`);
      assert.deepEqual(found.references, [], inner);
      assert.equal(found.errors.length, 1, inner);
    }
  });

  it('finds the }} that closes each ${{, not one before it', () => {
    const found = findReferences('a}} ${{ inputs.a }}${{item}}');
    assert.deepEqual(found.errors, []);
    assert.deepEqual(found.references, [
      { kind: 'input', id: 'a', offset: 4, length: 15 },
      { kind: 'item', offset: 19, length: 9 },
    ]);
    assert.deepEqual(findReferences('${{}}').errors, [
      {
        offset: 0,
        message:
          'the expression ${{ }} is empty; use ${{ inputs.<id> }}, ${{ stages.<stage>.outputs.<name> }}, ${{ matrix.<key> }} or ${{ item }}',
      },
    ]);
    assert.deepEqual(findReferences('x ${{ inputs.a }').errors, [
      { offset: 2, message: 'this ${{ is never closed with }}' },
    ]);
  });

  it('says which plural a bad expression is missing, and quotes at most 60 characters', () => {
    const message = (inner: string): string =>
      findReferences(`\${{ ${inner} }}`).errors[0]?.message ?? '';
    const help =
      'use ${{ inputs.<id> }}, ${{ stages.<stage>.outputs.<name> }}, ${{ matrix.<key> }} or ${{ item }}';
    assert.equal(message('input.a'), 'unknown expression "input.a": write "inputs." (plural)');
    assert.equal(
      message('stages.s.output.o'),
      'unknown expression "stages.s.output.o": write ".outputs." (plural)',
    );
    assert.equal(
      message('stage.s.output.o'),
      'unknown expression "stage.s.output.o": write ".outputs." (plural)',
    );
    assert.equal(
      message('stage.s.outputs.o'),
      'unknown expression "stage.s.outputs.o": write "stages." (plural)',
    );
    assert.equal(message('xinput.a'), `unknown expression "xinput.a"; ${help}`);
    assert.equal(message('xstage.a'), `unknown expression "xstage.a"; ${help}`);
    assert.equal(
      message('stages.s.t.output.o'),
      `unknown expression "stages.s.t.output.o"; ${help}`,
    );
    assert.equal(
      message('a.stages.s.output.o'),
      `unknown expression "a.stages.s.output.o"; ${help}`,
    );
    const sixty = 'x'.repeat(60);
    assert.equal(message(sixty), `unknown expression "${sixty}"; ${help}`);
    assert.equal(message(`${sixty}y`), `unknown expression "${'x'.repeat(57)}..."; ${help}`);
  });

  it('puts the offset of a syntax error into the messages of both substitutions', () => {
    assert.deepEqual(substituteCommand('ab ${{ oops }}', ctx).errors, [
      `at offset 3: unknown expression "oops"; use \${{ inputs.<id> }}, \${{ stages.<stage>.outputs.<name> }}, \${{ matrix.<key> }} or \${{ item }}`,
    ]);
    assert.deepEqual(substituteText('ab ${{ x', ctx).errors, [
      'at offset 3: this ${{ is never closed with }}',
    ]);
  });

  it('gives an item and matrix values as variables in commands and as text elsewhere', () => {
    assert.equal(ITEM_ENV, 'BATON_ITEM');
    assert.equal(matrixEnvName('py-v'), 'BATON_MATRIX_PY_V');
    assert.equal(matrixEnvName('os2'), 'BATON_MATRIX_OS2');
    assert.deepEqual(substituteCommand('t ${{ item }} ${{ matrix.os }}!', ctx), {
      command: 't ${BATON_ITEM} ${BATON_MATRIX_OS}!',
      env: { BATON_ITEM: 'it', BATON_MATRIX_OS: 'linux' },
      errors: [],
    });
    assert.deepEqual(substituteText('${{ item }}/${{ matrix.os }}/${{ inputs.n }}', ctx), {
      text: 'it/linux/2',
      errors: [],
    });
  });

  it('reports an item or matrix key the unit does not have', () => {
    const bare: ExpressionContext = { inputs: {}, stageOutputs: {} };
    assert.deepEqual(substituteText('${{ item }}|${{ matrix.os }}', bare), {
      text: '|',
      errors: ['only a foreach or matrix stage has an item', 'the matrix has no key "os"'],
    });
    assert.deepEqual(substituteText('${{ matrix.arch }}${{ matrix.toString }}', ctx).errors, [
      'the matrix has no key "arch"',
      'the matrix has no key "toString"',
    ]);
    assert.deepEqual(substituteText('${{ stages.s.outputs.toString }}', ctx).errors, [
      'stage "s" produced no output "toString"',
    ]);
    assert.deepEqual(substituteText('${{ stages.toString.outputs.o }}', ctx).errors, [
      'stage "toString" produced no output "o"',
    ]);
    assert.deepEqual(substituteCommand('${{ item }}', bare), {
      command: '${BATON_ITEM}',
      env: { BATON_ITEM: '' },
      errors: ['only a foreach or matrix stage has an item'],
    });
  });

  it('refuses two different matrix keys or stage outputs that share a variable, not one read twice', () => {
    const matrix = substituteCommand('${{ matrix.py-v }} ${{ matrix.py_v }}', ctx);
    assert.deepEqual(matrix.errors, [
      '${{ matrix.py_v }} and another expression both map to the variable BATON_MATRIX_PY_V; rename one of them',
    ]);
    // Stage `a_` output `b` and stage `a` output `_b` are both BATON_OUT_A___B.
    const outputs = substituteCommand('${{ stages.a_.outputs.b }} ${{ stages.a.outputs._b }}', ctx);
    assert.deepEqual(outputs.errors, [
      '${{ stages.a.outputs._b }} and another expression both map to the variable BATON_OUT_A___B; rename one of them',
    ]);
    const twice = substituteCommand(
      '${{ matrix.os }}${{matrix.os}} ${{ stages.s.outputs.o }} ${{ stages.s.outputs.o }} ${{ item }}${{ item }}',
      ctx,
    );
    assert.deepEqual(twice, {
      command:
        '${BATON_MATRIX_OS}${BATON_MATRIX_OS} ${BATON_OUT_S__O} ${BATON_OUT_S__O} ${BATON_ITEM}${BATON_ITEM}',
      env: { BATON_MATRIX_OS: 'linux', BATON_OUT_S__O: 'O', BATON_ITEM: 'it' },
      errors: [],
    });
  });
});
