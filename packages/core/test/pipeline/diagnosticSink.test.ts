import * as assert from 'node:assert/strict';
import { DiagnosticSink, indexLines } from '../../src/pipeline/diagnosticSink';

describe('diagnostic sink', () => {
  it('turns offsets into 1-based lines and columns, counting only "\\n" as a line end', () => {
    const text = 'ab\ncd\r\nef\n\ng';
    const sink = new DiagnosticSink('p.json', indexLines(text));
    sink.error({ start: 0, end: 2 }, 'x', 'first');
    sink.warning({ start: 4, end: 9 }, 'y', 'second', { find: 'cd', replaceWith: 'dc' });
    sink.error({ start: 11, end: 12 }, 'z', 'last', { find: 'g', replaceWith: 'h', title: 'H' });
    assert.deepEqual(sink.diagnostics, [
      {
        file: 'p.json',
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 3,
        severity: 'error',
        code: 'x',
        message: 'first',
      },
      {
        file: 'p.json',
        line: 2,
        column: 2,
        endLine: 3,
        endColumn: 3,
        severity: 'warning',
        code: 'y',
        message: 'second',
        fix: { find: 'cd', replaceWith: 'dc' },
      },
      {
        file: 'p.json',
        line: 5,
        column: 1,
        endLine: 5,
        endColumn: 2,
        severity: 'error',
        code: 'z',
        message: 'last',
        fix: { find: 'g', replaceWith: 'h', title: 'H' },
      },
    ]);
    assert.equal('fix' in (sink.diagnostics[0] ?? {}), false);
  });

  it('never ends a range before it starts', () => {
    const sink = new DiagnosticSink('f', indexLines('abc\ndef'));
    sink.error({ start: 5, end: 1 }, 'x', 'backwards');
    assert.deepEqual(
      sink.diagnostics.map((d) => [d.line, d.column, d.endLine, d.endColumn]),
      [[2, 2, 2, 2]],
    );
  });

  it('has errors once an error, not a warning, is reported', () => {
    const sink = new DiagnosticSink('f', indexLines(''));
    assert.equal(sink.hasErrors, false);
    sink.warning({ start: 0, end: 0 }, 'w', 'just a warning');
    assert.equal(sink.hasErrors, false);
    sink.error({ start: 0, end: 0 }, 'e', 'an error');
    assert.equal(sink.hasErrors, true);
    assert.equal(sink.file, 'f');
  });
});
