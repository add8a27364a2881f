import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LineSplitter } from '../../src/output/lineSplitter';
import type { LineEnding } from '../../src/output/lineSplitter';

type Line = [string, LineEnding];

/** Splits `chunks` (strings are UTF-8 encoded; Buffers are fed as they are) and returns the lines. */
function split(chunks: readonly (string | Buffer)[], maxLineLength?: number): Line[] {
  const lines: Line[] = [];
  const splitter = new LineSplitter((text, ending) => lines.push([text, ending]), maxLineLength);
  for (const chunk of chunks) splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  splitter.flush();
  return lines;
}

describe('LineSplitter', () => {
  it('splits on \\n and \\r\\n and delivers the unterminated tail at the end', () => {
    assert.deepEqual(split(['a\nb\r\nc']), [
      ['a', 'newline'],
      ['b', 'newline'],
      ['c', 'end'],
    ]);
  });

  it('joins lines across chunks, including a \\r\\n split between chunks', () => {
    assert.deepEqual(split(['hel', 'lo\r', '\nwor', 'ld\n']), [
      ['hello', 'newline'],
      ['world', 'newline'],
    ]);
  });

  it('reports lone \\r as overwrite updates, also when the \\r ends a chunk', () => {
    assert.deepEqual(split(['\r 10%|#', '\r 20%|##\r', ' 30%|###\n']), [
      ['', 'carriageReturn'],
      [' 10%|#', 'carriageReturn'],
      [' 20%|##', 'carriageReturn'],
      [' 30%|###', 'newline'],
    ]);
    assert.deepEqual(split(['done\r']), [['done', 'carriageReturn']]);
  });

  it('keeps an empty line empty', () => {
    assert.deepEqual(split(['\n\n']), [
      ['', 'newline'],
      ['', 'newline'],
    ]);
  });

  it('decodes UTF-8 characters split across chunks', () => {
    const bytes = Buffer.from('né 😀 ok\n');
    const chunks = [...bytes].map((byte) => Buffer.from([byte]));
    assert.deepEqual(split(chunks), [['né 😀 ok', 'newline']]);
  });

  it('delivers a long line in pieces of the maximum length without splitting a surrogate pair', () => {
    assert.deepEqual(split(['abcdefghij\n'], 4), [
      ['abcd', 'split'],
      ['efgh', 'split'],
      ['ij', 'newline'],
    ]);
    assert.deepEqual(split(['abc😀d\n'], 4), [
      ['abc', 'split'],
      ['😀d', 'newline'],
    ]);
    assert.deepEqual(split(['abcd\n'], 4), [['abcd', 'newline']]);
  });

  it('keeps memory bounded for a huge line fed in many chunks', () => {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let longest = 0;
    let pieces = 0;
    const splitter = new LineSplitter((text) => {
      longest = Math.max(longest, text.length, splitter.currentPartial().length);
      pieces += 1;
    }, 1000);
    for (let i = 0; i < 160; i++) {
      splitter.push(chunk);
      assert.ok(splitter.currentPartial().length <= 1000);
    }
    splitter.flush();
    assert.equal(longest, 1000);
    assert.equal(pieces, Math.ceil((160 * 64 * 1024) / 1000));
  });

  it('exposes the current partial line and whether it follows a carriage return', () => {
    const splitter = new LineSplitter(() => undefined);
    splitter.push(Buffer.from('line\nName? '));
    assert.equal(splitter.currentPartial(), 'Name? ');
    assert.equal(splitter.partialFollowsCarriageReturn(), false);
    splitter.push(Buffer.from('\r 50%|#####'));
    assert.equal(splitter.currentPartial(), ' 50%|#####');
    assert.equal(splitter.partialFollowsCarriageReturn(), true);
  });

  it('rejects a maximum line length below 2', () => {
    assert.throws(() => new LineSplitter(() => undefined, 1), /at least 2/);
  });
});

describe('LineSplitter (properties)', () => {
  /** The straightforward reading of a whole text, to compare the incremental splitter with. */
  function reference(text: string): Line[] {
    const lines: Line[] = [];
    const pattern = /\r\n|\n|\r/g;
    let start = 0;
    for (const match of text.matchAll(pattern)) {
      lines.push([
        text.slice(start, match.index),
        match[0] === '\r' ? 'carriageReturn' : 'newline',
      ]);
      start = match.index + match[0].length;
    }
    if (start < text.length) lines.push([text.slice(start), 'end']);
    return lines;
  }

  const text = fc.string({
    unit: fc.constantFrom('a', 'b', ' ', '\r', '\n', 'é', '😀', '€'),
    maxLength: 200,
  });
  const cuts = fc.array(fc.nat({ max: 800 }), { maxLength: 12 });

  it('gives the same lines as splitting the whole text, wherever the chunks end', () => {
    fc.assert(
      fc.property(text, cuts, (whole, cutPoints) => {
        const bytes = Buffer.from(whole);
        const points = [...new Set(cutPoints.map((c) => c % (bytes.length + 1)))].sort(
          (a, b) => a - b,
        );
        const chunks: Buffer[] = [];
        let start = 0;
        for (const point of [...points, bytes.length]) {
          chunks.push(bytes.subarray(start, point));
          start = point;
        }
        assert.deepEqual(split(chunks), reference(whole));
      }),
      { numRuns: 500 },
    );
  });

  it('splits long lines into pieces that join back into the line', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 2, max: 10 }), (whole, max) => {
        const lines = split([whole], max);
        assert.ok(lines.every(([piece]) => piece.length <= max));
        const joined: Line[] = [];
        let pending = '';
        for (const [piece, ending] of lines) {
          if (ending === 'split') pending += piece;
          else {
            joined.push([pending + piece, ending]);
            pending = '';
          }
        }
        assert.deepEqual(joined, reference(whole));
      }),
      { numRuns: 500 },
    );
  });
});

describe('LineSplitter with a lone \\r as text (tailed files)', () => {
  /** The lines of `chunks` read as a file is: only \n and \r\n end lines. */
  function fileLines(chunks: readonly (string | Buffer)[], maxLineLength?: number): Line[] {
    const lines: Line[] = [];
    const splitter = new LineSplitter(
      (text, ending) => lines.push([text, ending]),
      maxLineLength,
      'text',
    );
    for (const chunk of chunks)
      splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    splitter.flush();
    return lines;
  }

  it('keeps a lone \\r in its line and drops one at the very end', () => {
    assert.deepEqual(fileLines(['a\rb\r\nc\r', '\nd\r']), [
      ['a\rb', 'newline'],
      ['c', 'newline'],
      ['d', 'end'],
    ]);
    assert.deepEqual(fileLines(['x\r', 'y\n']), [['x\ry', 'newline']]);
  });

  it('cuts a line longer than the limit into pieces instead of growing', () => {
    assert.deepEqual(fileLines(['abcdefghij'], 4), [
      ['abcd', 'split'],
      ['efgh', 'split'],
      ['ij', 'end'],
    ]);
  });

  it('turns a truncated character at the very end into a replacement character', () => {
    assert.deepEqual(fileLines([Buffer.from([0x61, 0xe2, 0x82])]), [['a\uFFFD', 'end']]);
  });

  it('starts over after reset, forgetting the unfinished line', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((text) => lines.push(text), undefined, 'text');
    splitter.push(Buffer.from('old partial'));
    splitter.reset();
    splitter.push(Buffer.from('new\n'));
    assert.deepEqual(lines, ['new']);
  });

  it('gives the lines a split on \\n gives, however the bytes are chunked (property)', () => {
    const text = fc.array(
      fc.oneof(fc.string({ unit: 'grapheme' }), fc.constantFrom('\n', '\r\n', '\r')),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 10 }), (parts, cuts) => {
        const bytes = Buffer.from(parts.join(''));
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let from = 0;
        for (const point of [...points, bytes.length]) {
          chunks.push(bytes.subarray(from, point));
          from = point;
        }
        const expected = parts
          .join('')
          .split('\n')
          .map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
        if (expected[expected.length - 1] === '') expected.pop();
        const got = fileLines(chunks, 1 << 20).map(([line]) => line);
        assert.deepEqual(got, expected);
      }),
    );
  });
});
