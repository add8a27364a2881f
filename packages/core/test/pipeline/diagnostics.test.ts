import * as assert from 'node:assert/strict';
import { parse, yaml as lines } from './helpers';

describe('diagnostics: warnings, limits and order', () => {
  it('reports a warning for an expression the shell would not expand', () => {
    const result = parse(
      lines('inputs: { x: {} }', 'stages:', '  a:', "    run: echo '${{ inputs.x }}'"),
    );
    assert.ok(result.pipeline);
    assert.deepEqual(
      result.diagnostics.map((d) => [d.severity, d.code, d.line, d.column]),
      [['warning', 'quoted-expression', 4, 16]],
    );
  });

  it('warns about repeated needs and secrets but keeps the pipeline', () => {
    const result = parse(
      lines('secrets: [A, A]', 'stages:', '  a: { run: x }', '  b: { needs: [a, a], run: y }'),
    );
    assert.ok(result.pipeline);
    assert.deepEqual(result.pipeline.stages[1]?.needs, ['a', 'a']);
    assert.deepEqual(
      result.diagnostics.map((d) => d.code),
      ['duplicate-secret', 'duplicate-need'],
    );
  });

  it('stops alias bombs quickly with a clear error', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) {
      const previous = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    }
    const result = parse(lines(...levels, 'stages:', '  s: { run: x }'));
    assert.ok(result.diagnostics.some((d) => d.code === 'too-large'));
  });

  it('lists diagnostics in file order', () => {
    const result = parse(
      lines('stages:', '  b: { run: x, needs: [zz] }', '  a: { run: "" }', 'bogus: 1'),
    );
    const positions = result.diagnostics.map((d) => d.line);
    assert.deepEqual(
      positions,
      [...positions].sort((x, y) => x - y),
    );
    assert.equal(positions.length, 3);
  });
});
