import * as assert from 'node:assert/strict';
import { parseAnswerText } from '../../src/run/answers';

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
