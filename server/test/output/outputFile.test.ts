import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOutputFile, readOutputFile } from '../../src/output/outputFile';

describe('parseOutputFile', () => {
  it('reads name=value lines; the value keeps further = signs and spaces', () => {
    assert.deepEqual(parseOutputFile('count=3\nquery=a=b c \n'), {
      outputs: { count: '3', query: 'a=b c ' },
      errors: [],
    });
  });

  it('reads heredoc values over several lines, with CRLF line ends', () => {
    const text = 'notes<<EOF\r\nfirst\r\n\r\nname=not an output\r\nEOF\r\nafter=1\r\n';
    assert.deepEqual(parseOutputFile(text), {
      outputs: { notes: 'first\n\nname=not an output', after: '1' },
      errors: [],
    });
  });

  it('lets a later value replace an earlier one and skips blank lines', () => {
    assert.deepEqual(parseOutputFile('a=1\n\n   \na=2'), { outputs: { a: '2' }, errors: [] });
  });

  it('treats << after = as part of the value', () => {
    assert.deepEqual(parseOutputFile('shift=1<<2\n').outputs, { shift: '1<<2' });
  });

  it('reports malformed lines with their line numbers and keeps the good ones', () => {
    const result = parseOutputFile('good=1\njust text\n9lives=x\n=empty\nok-name_2=yes\n');
    assert.deepEqual(result.outputs, { good: '1', 'ok-name_2': 'yes' });
    assert.deepEqual(result.errors, [
      'line 2: expected name=value or name<<DELIMITER, got "just text"',
      `line 3: "9lives" is not a valid output name (letters, digits, '_' and '-', not starting with a digit)`,
      'line 4: expected name=value or name<<DELIMITER, got "=empty"',
    ]);
  });

  it('reports a heredoc that is never closed or has no delimiter', () => {
    assert.deepEqual(parseOutputFile('a=1\nbody<<END\nline\n'), {
      outputs: { a: '1' },
      errors: ['line 2: the value of "body" is never closed by a line "END"'],
    });
    assert.deepEqual(parseOutputFile('body<<\nb=2\n').errors, [
      'line 1: "body<<" needs a delimiter after <<',
    ]);
  });

  it('stores a __proto__ output as a plain value', () => {
    const { outputs } = parseOutputFile('__proto__=x\n');
    assert.equal(Object.getPrototypeOf(outputs), Object.prototype);
    assert.deepEqual(Object.entries(outputs), [['__proto__', 'x']]);
  });
});

describe('readOutputFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'baton-output-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a real file and treats a missing one as no outputs', async () => {
    const file = join(dir, 'output');
    writeFileSync(file, 'x=1\n');
    assert.deepEqual(await readOutputFile(file), { outputs: { x: '1' }, errors: [] });
    assert.deepEqual(await readOutputFile(join(dir, 'missing')), { outputs: {}, errors: [] });
  });

  it('refuses a file over the size limit', async () => {
    const file = join(dir, 'output');
    writeFileSync(file, 'x=' + 'y'.repeat(100));
    const result = await readOutputFile(file, 50);
    assert.deepEqual(result.outputs, {});
    assert.match(result.errors[0] ?? '', /holds 102 bytes, more than the limit of 50/);
  });

  it('reports a directory in place of the file', async () => {
    const result = await readOutputFile(dir);
    assert.equal(result.errors.length, 1);
  });
});

describe('parseOutputFile (properties)', () => {
  const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,15}$/);
  const value = fc.string({
    unit: fc.constantFrom('a', 'Z', '=', '<', ' ', '\n', 'é', '%'),
    maxLength: 30,
  });

  it('reads back what a program wrote, single-line values as name=value and others as heredocs', () => {
    fc.assert(
      fc.property(fc.dictionary(name, value, { maxKeys: 8 }), (outputs) => {
        let text = '';
        for (const [key, content] of Object.entries(outputs)) {
          text += content.includes('\n')
            ? `${key}<<EOF_X\n${content}\nEOF_X\n`
            : `${key}=${content}\n`;
        }
        assert.deepEqual(parseOutputFile(text), { outputs: { ...outputs }, errors: [] });
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary text and numbers every error by line', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const result = parseOutputFile(text);
        assert.ok(result.errors.every((error) => /^line \d+: /.test(error)));
      }),
      { numRuns: 300 },
    );
  });
});
