import * as assert from 'node:assert/strict';
import { isValidId } from '../../src/pipeline/ids';
import { parse, parseValid, yaml } from './helpers';

describe('pipeline: stage and input ids', () => {
  it('takes a letter or "_" first, then letters, digits, "_" and "-"', () => {
    for (const id of ['a', '_', 'A9', '_ok-1', 'a-b_c', 'Z']) assert.equal(isValidId(id), true, id);
    for (const id of ['', '9a', '-a', 'a b', 'a.b', 'a:b', 'é', 'a\n', ' a']) {
      assert.equal(isValidId(id), false, JSON.stringify(id));
    }
  });

  it('reports ids that only differ in case or "-"/"_", each against the first, and a bad id', () => {
    const diagnostics = parse(
      yaml(
        'stages:',
        '  build-x: { run: x }',
        '  build_x: { run: y }',
        '  Build_X: { run: z }',
        '  9a: { run: z }',
        '  _ok-1: { run: z }',
      ),
    ).diagnostics.map((d) => [d.code, d.line, d.column, d.endColumn, d.message]);
    const ambiguous = (second: string) =>
      `The stage ids "build-x" and "${second}" differ only in case or "-"/"_", so they map to the same environment variable; rename one.`;
    assert.deepEqual(diagnostics, [
      ['ambiguous-id', 3, 3, 10, ambiguous('build_x')],
      ['ambiguous-id', 4, 3, 10, ambiguous('Build_X')],
      [
        'bad-id',
        5,
        3,
        5,
        '"9a" is not a valid stage id: start with a letter or "_", then use only letters, digits, "_" and "-".',
      ],
    ]);
    const inputs = parse(
      yaml('inputs:', '  a-b: { prompt: A }', '  a_b: { prompt: B }', 'stages:', '  s: { run: x }'),
    );
    assert.deepEqual(
      inputs.diagnostics.map((d) => [d.code, d.line, d.column, d.message]),
      [
        [
          'ambiguous-id',
          3,
          3,
          'The input ids "a-b" and "a_b" differ only in case or "-"/"_", so they map to the same environment variable; rename one.',
        ],
      ],
    );
  });

  it('keeps ids that map to different variables, and the position of each', () => {
    const pipeline = parseValid(
      yaml(
        'stages:',
        '  a1: { run: x }',
        '  a_1b: { run: y }',
        '  a1b: { run: y }',
        '  A2:',
        '    run: z',
      ),
    );
    assert.deepEqual(
      pipeline.stages.map((s) => [s.id, s.position]),
      [
        ['a1', { line: 2, column: 3 }],
        ['a_1b', { line: 3, column: 3 }],
        ['a1b', { line: 4, column: 3 }],
        ['A2', { line: 5, column: 3 }],
      ],
    );
  });

  it('leaves a stage with a bad id out of the checks across stages (one error, not a cascade)', () => {
    const stages = parse(yaml('stages:', '  1bad: { run: x, needs: [nope] }', '  a: { run: y }'));
    assert.deepEqual(
      stages.diagnostics.map((d) => [d.code, d.message]),
      [
        [
          'bad-id',
          '"1bad" is not a valid stage id: start with a letter or "_", then use only letters, digits, "_" and "-".',
        ],
      ],
    );
  });
});
