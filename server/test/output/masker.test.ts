import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Masker } from '../../src/output/masker';

describe('Masker', () => {
  it('replaces every occurrence of every secret', () => {
    const masker = new Masker();
    assert.equal(masker.add('hunter2'), true);
    assert.equal(masker.add('t0ken'), true);
    assert.equal(masker.mask('pw=hunter2 tok=t0ken again hunter2'), 'pw=*** tok=*** again ***');
    assert.equal(masker.mask('nothing here'), 'nothing here');
  });

  it('treats regular-expression characters in secrets literally', () => {
    const masker = new Masker();
    masker.add('a.b*c(d)[e]$^|\\/');
    assert.equal(masker.mask('x a.b*c(d)[e]$^|\\/ y aXb'), 'x *** y aXb');
  });

  it('refuses values shorter than three characters', () => {
    const masker = new Masker();
    assert.equal(masker.add('ab'), false);
    assert.equal(masker.add(''), false);
    assert.equal(masker.size, 0);
    assert.equal(masker.mask('ab ab'), 'ab ab');
    assert.equal(new Masker(1).add('a'), true);
  });

  it('masks a multi-line secret whole and line by line', () => {
    const masker = new Masker();
    assert.equal(masker.add('-----BEGIN KEY-----\r\nMIIBOgIBAAJB\nxy\n'), true);
    assert.equal(masker.mask('-----BEGIN KEY-----'), '***');
    assert.equal(masker.mask('line: MIIBOgIBAAJB'), 'line: ***');
    assert.equal(masker.mask('xy stays'), 'xy stays');
    assert.equal(masker.mask('all: -----BEGIN KEY-----\r\nMIIBOgIBAAJB\nxy\n!'), 'all: ***!');
  });

  it('prefers the longer secret where two overlap', () => {
    const masker = new Masker();
    masker.add('abc');
    masker.add('abcdef');
    assert.equal(masker.mask('abcdefg abcx'), '***g ***x');
  });

  it('masks many secrets in one pass', () => {
    const masker = new Masker();
    const secrets = Array.from({ length: 500 }, (_, i) => `secret-${i}-${'x'.repeat(i % 7)}`);
    for (const secret of secrets) masker.add(secret);
    const text = secrets.filter((_, i) => i % 50 === 0).join(' | ');
    assert.equal(masker.mask(text), Array.from({ length: 10 }, () => '***').join(' | '));
  });

  it('never lets a secret through when text is masked piece by piece (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 3, maxLength: 12 }),
        fc.array(fc.string({ maxLength: 20 }), { maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 1, maxLength: 10 }),
        (secret, fillers, cuts) => {
          const masker = new Masker();
          masker.add(secret);
          const text = fillers.join(secret);
          let rest = '';
          let shown = '';
          let position = 0;
          for (let i = 0; position < text.length; i++) {
            const size = cuts[i % cuts.length] ?? 1;
            const piece = masker.maskStreaming(rest + text.slice(position, position + size));
            shown += piece.masked;
            rest = piece.rest;
            position += size;
          }
          shown += masker.mask(rest);
          // Every complete occurrence is hidden, whatever the cut points.
          assert.equal(shown, masker.mask(text));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('holds back only what could start a secret', () => {
    const masker = new Masker();
    masker.add('abcdef');
    assert.deepEqual(masker.maskStreaming('xxxxxxxxabc'), { masked: 'xxxxxx', rest: 'xxabc' });
    assert.deepEqual(masker.maskStreaming('xxabcdefgh'), { masked: 'xx***', rest: 'gh' });
    assert.deepEqual(masker.maskStreaming('abc'), { masked: '', rest: 'abc' });
    assert.deepEqual(new Masker().maskStreaming('abc'), { masked: 'abc', rest: '' });
  });

  it('never ends the masked head between the halves of a surrogate pair', () => {
    const masker = new Masker();
    masker.add('abcdef');
    // '😀' is two UTF-16 units; the cut (7 units - 5 held back = 2) would fall inside it.
    const piece = masker.maskStreaming('x😀abcd');
    assert.deepEqual(piece, { masked: 'x', rest: '😀abcd' });
  });

  it('holds back a short secret at the cut: it may be the start of a longer one', () => {
    const masker = new Masker();
    masker.add('abcde');
    masker.add('abc');
    const first = masker.maskStreaming('yabcd');
    assert.deepEqual(first, { masked: 'y', rest: 'abcd' });
    assert.deepEqual(masker.maskStreaming(`${first.rest}e!`), { masked: '***', rest: '!' });
  });

  it('keeps both ends of the high-surrogate range whole (U+D800 and U+DBFF)', () => {
    const masker = new Masker();
    masker.add('abcdef');
    for (const pair of ['\uD800\uDC00', '\uDBFF\uDFFF']) {
      assert.deepEqual(masker.maskStreaming(`x${pair}abcd`), { masked: 'x', rest: `${pair}abcd` });
    }
    // The low half of a pair is not held back with its high half: the cut falls after the pair.
    assert.deepEqual(masker.maskStreaming('x\uDBFF\uDFFFabcde'), {
      masked: 'x\uDBFF\uDFFF',
      rest: 'abcde',
    });
  });
});

describe('Masker structured values', () => {
  it('masks every value, longest first, in text and in the strings of structured values', () => {
    const masker = new Masker();
    masker.add('abc');
    masker.add('abcdef');
    masker.add('xy'); // too short: ignored
    assert.equal(masker.mask('abcdef and abc and xy'), '*** and *** and xy');
    masker.add('quote"and\\slash');
    assert.deepEqual(masker.maskValue({ a: 'say quote"and\\slash now', b: ['abc'], abc: 1 }), {
      a: 'say *** now',
      b: ['***'],
      '***': 1,
    });
  });

  it('never touches numbers, so a secret made of digits cannot corrupt a record', () => {
    const masker = new Masker();
    masker.add('2026');
    assert.deepEqual(masker.maskValue({ seq: 2026, at: 1_763_720_262_026, text: 'pin 2026' }), {
      seq: 2026,
      at: 1_763_720_262_026,
      text: 'pin ***',
    });
  });

  it('masks each line of a multi-line secret inside structured values', () => {
    const masker = new Masker();
    masker.add('-----BEGIN-----\nfirst-line-of-key\n  second-line-of-key\n-----END-----');
    assert.deepEqual(
      masker.maskValue({
        outputs: { key: 'first-line-of-key' },
        message: 'use second-line-of-key?',
      }),
      { outputs: { key: '***' }, message: 'use ***?' },
    );
  });

  it('says a value already masked is masked, and hands back unchanged values while empty', () => {
    const masker = new Masker();
    assert.equal(masker.isEmpty, true);
    const record = { a: 'hunter2' };
    assert.equal(masker.maskValue(record), record, 'nothing to mask: no copy');
    assert.equal(masker.add('hunter2'), true);
    assert.equal(masker.add('hunter2'), true, 'a second add of the same value');
    assert.equal(masker.isEmpty, false);
  });

  it('leaves out undefined fields when it copies a structured value', () => {
    const masker = new Masker();
    masker.add('hunter2');
    assert.deepEqual(masker.maskValue({ gone: undefined, pw: 'hunter2' }), { pw: '***' });
  });
});
