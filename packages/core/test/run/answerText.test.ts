import * as assert from 'node:assert/strict';
import type { AnswerShape } from '../../src/run/answers';
import { parseAnswerText, validateAnswer } from '../../src/run/answers';

const confirm = { type: 'confirm' } as const;
const TWELVE = Array.from({ length: 12 }, (_, i) => `option ${i + 1}`);

describe('run: typed answers, word by word', () => {
  it('reads each yes word and each no word, in any case and with spaces around', () => {
    for (const word of ['y', 'yes', 'true', 'on', '1']) {
      assert.deepEqual(parseAnswerText(confirm, ` ${word.toUpperCase()} `), {
        ok: true,
        value: true,
      });
    }
    for (const word of ['n', 'no', 'false', 'off', '0']) {
      assert.deepEqual(parseAnswerText(confirm, ` ${word.toUpperCase()} `), {
        ok: true,
        value: false,
      });
    }
    assert.equal(parseAnswerText(confirm, '').ok, false);
  });

  it('matches an option exactly before ignoring case, and refuses an ambiguous case-folded one', () => {
    const choice = { type: 'choice', options: ['a', 'A'] } as const;
    assert.deepEqual(parseAnswerText(choice, 'a'), { ok: true, value: 'a' });
    assert.deepEqual(parseAnswerText(choice, ' A '), { ok: true, value: 'A' });
    const twins = { type: 'choice', options: ['Apple', 'APPLE'] } as const;
    assert.equal(parseAnswerText(twins, 'apple').ok, false);
  });

  it('takes an option by its 1-based number written plainly, nothing else that looks like one', () => {
    const choice = { type: 'choice', options: TWELVE } as const;
    assert.deepEqual(parseAnswerText(choice, '12'), { ok: true, value: 'option 12' });
    assert.deepEqual(parseAnswerText(choice, '2'), { ok: true, value: 'option 2' });
    for (const text of ['02', '1e1', '2x', 'x2', '0', '13']) {
      assert.equal(parseAnswerText(choice, text).ok, false, text);
    }
  });

  it('refuses blank text as a number', () => {
    assert.equal(parseAnswerText({ type: 'number' }, '   ').ok, false);
    assert.deepEqual(parseAnswerText({ type: 'number' }, ' 3 '), { ok: true, value: 3 });
  });
});

describe('run: answers checked against their prompt, detail by detail', () => {
  const ab = { type: 'choice', options: ['a', 'b'] } as const;

  it('names the options a choice or multi expects, or none when it has none', () => {
    assert.equal(validateAnswer(ab, 3), "expected one of 'a', 'b'");
    assert.equal(validateAnswer({ type: 'choice' }, 'x'), "'x' is not one of ");
    assert.equal(
      validateAnswer({ type: 'multi', options: ['a'] }, ['a', 2]),
      "expected a list of options from 'a'",
    );
    assert.equal(
      validateAnswer({ type: 'multi', options: ['a'] }, ['x', 'y']),
      "'x', 'y' are not among 'a'",
    );
    assert.equal(validateAnswer({ type: 'multi' }, ['x']), "'x' is not among ");
    assert.deepEqual(parseAnswerText({ type: 'choice' }, '1'), {
      ok: false,
      error: "'1' is not one of ",
    });
    assert.deepEqual(parseAnswerText({ type: 'multi' }, ' , '), { ok: true, value: [] });
    assert.deepEqual(parseAnswerText({ type: 'multi' }, 'x'), {
      ok: false,
      error: "'x' is not one of ",
    });
  });

  it('takes any text for a choice that allows other answers, an option first', () => {
    const other = { ...ab, allowOther: true } as const;
    assert.equal(validateAnswer(other, 'zz'), undefined);
    assert.equal(validateAnswer({ ...ab, allowOther: false }, 'zz'), "'zz' is not one of 'a', 'b'");
    assert.deepEqual(parseAnswerText(other, ' zz '), { ok: true, value: ' zz ' });
    assert.deepEqual(parseAnswerText(other, ' B '), { ok: true, value: 'b' });
    assert.deepEqual(parseAnswerText(other, '2'), { ok: true, value: 'b' });
  });

  it('refuses an infinite number', () => {
    assert.equal(validateAnswer({ type: 'number' }, Infinity), 'expected a finite number');
    assert.deepEqual(parseAnswerText({ type: 'number' }, 'Infinity'), {
      ok: false,
      error: "'Infinity' is not a number",
    });
  });

  it('says so for a prompt type it does not know (a state written by another version)', () => {
    const future = { type: 'date' } as unknown as AnswerShape;
    assert.equal(validateAnswer(future, '2026-12-05'), 'unknown prompt type date');
    assert.deepEqual(parseAnswerText(future, '2026-12-05'), {
      ok: false,
      error: 'unknown prompt type date',
    });
  });
});
