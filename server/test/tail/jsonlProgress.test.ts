import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseJsonlProgress } from '../../src/tail/jsonlProgress';
import { LineSplitter } from '../../src/tail/lineSplitter';

describe('parseJsonlProgress', () => {
  it('reads percent, value/total and messages', () => {
    assert.deepEqual(parseJsonlProgress('{"progress": 42}'), { progress: { percent: 42 } });
    assert.deepEqual(
      parseJsonlProgress('{"progress": {"value": 3, "total": 12, "message": "file 3"}}'),
      {
        progress: { percent: 25, value: 3, total: 12, message: 'file 3' },
      },
    );
    assert.deepEqual(
      parseJsonlProgress('{"progress": {"percent": 30}, "message": "halfway-ish"}'),
      {
        progress: { percent: 30, message: 'halfway-ish' },
        message: 'halfway-ish',
      },
    );
    assert.deepEqual(parseJsonlProgress(' {"message": "just saying"} '), {
      message: 'just saying',
    });
  });

  it('clamps percent to 0..100 and ignores a zero total', () => {
    assert.deepEqual(parseJsonlProgress('{"progress": 250}'), { progress: { percent: 100 } });
    assert.deepEqual(parseJsonlProgress('{"progress": {"value": 5, "total": 0}}'), {
      progress: { value: 5, total: 0 },
    });
  });

  it('leaves other lines alone', () => {
    for (const line of [
      'plain text',
      '{"loss": 0.1}',
      '[1, 2]',
      '{"progress": "lots"}',
      '{"progress": {}}',
      '{broken',
      '{"progress": null}',
      'null',
    ]) {
      assert.equal(parseJsonlProgress(line), undefined, line);
    }
  });
});

describe('LineSplitter', () => {
  it('ends lines at \\n and \\r\\n, holding the rest', () => {
    const splitter = new LineSplitter();
    assert.deepEqual(splitter.push(Buffer.from('a\r\nb\nc')), ['a', 'b']);
    assert.equal(splitter.hasPartial, true);
    assert.deepEqual(splitter.push(Buffer.from('d\n')), ['cd']);
    assert.equal(splitter.end(), undefined);
  });

  it('cuts a line longer than the limit into pieces instead of growing', () => {
    const splitter = new LineSplitter(4);
    assert.deepEqual(splitter.push(Buffer.from('abcdefghij')), ['abcd', 'efgh']);
    assert.equal(splitter.end(), 'ij');
  });

  it('turns a truncated character at the very end into a replacement character', () => {
    const splitter = new LineSplitter();
    assert.deepEqual(splitter.push(Buffer.from([0x61, 0xe2, 0x82])), []);
    assert.equal(splitter.end(), 'a\uFFFD');
  });

  it('gives the same lines however the bytes are chunked (property)', () => {
    const text = fc.array(
      fc.oneof(fc.string({ unit: 'grapheme' }), fc.constantFrom('\n', '\r\n')),
      {
        maxLength: 30,
      },
    );
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 10 }), (parts, cuts) => {
        const bytes = Buffer.from(parts.join(''));
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const splitter = new LineSplitter();
        const lines: string[] = [];
        let from = 0;
        for (const point of [...points, bytes.length]) {
          lines.push(...splitter.push(bytes.subarray(from, point)));
          from = point;
        }
        const last = splitter.end();
        if (last !== undefined) lines.push(last);
        const expected = parts
          .join('')
          .split('\n')
          .map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
        if (expected[expected.length - 1] === '') expected.pop();
        assert.deepEqual(lines, expected);
      }),
    );
  });
});
