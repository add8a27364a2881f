import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { QuestionControl } from '../../src/index';
import { parseAnswerText, readQuestion, validateAnswer } from '../../src/index';

/** [what the library printed, the control Baton offers]: each exactly as the library prints it with stdin a pipe. */
const PRINTED: readonly (readonly [string, QuestionControl])[] = [
  // rich.prompt.Confirm.ask("Continue?", default=False)
  ['Continue? [y/n] (n): ', { type: 'confirm', confirmWords: ['y', 'n'], default: false }],
  ['Continue? [y/n]: ', { type: 'confirm', confirmWords: ['y', 'n'] }],
  // click.confirm("Go on?")
  ['Go on? [y/N]: ', { type: 'confirm', confirmWords: ['y', 'n'], default: false }],
  ['Overwrite? [Y/n] ', { type: 'confirm', confirmWords: ['y', 'n'], default: true }],
  ['Proceed (yes/no)? ', { type: 'confirm', confirmWords: ['yes', 'no'] }],
  ['Sure? (y/n)', { type: 'confirm', confirmWords: ['y', 'n'] }],
  // rich Prompt.ask("Pick", choices=[...], default="ALL")
  [
    'Pick [soil/water/ALL] (ALL): ',
    { type: 'choice', options: ['soil', 'water', 'ALL'], allowOther: true, default: 'ALL' },
  ],
  // click.prompt("Pick", type=click.Choice([...]), default="ALL")
  [
    'Pick (soil, water, ALL) [ALL]: ',
    { type: 'choice', options: ['soil', 'water', 'ALL'], allowOther: true, default: 'ALL' },
  ],
  [
    'Which? [soil/water/ALL]: ',
    { type: 'choice', options: ['soil', 'water', 'ALL'], allowOther: true },
  ],
  [
    'Mode (fast | slow) [SLOW]:',
    { type: 'choice', options: ['fast', 'slow'], allowOther: true, default: 'slow' },
  ],
  // rich IntPrompt.ask("Passes", default=3), click.prompt("Passes", default=3)
  ['Passes (3): ', { type: 'text', default: '3' }],
  ['Passes [3]: ', { type: 'text', default: '3' }],
  ['How many passes [default: 3]? ', { type: 'text', default: '3' }],
  ['Name: ', { type: 'text' }],
  ['Name (): ', { type: 'text' }],
  // getpass.getpass(), read -s -p, a hand-written prompt
  ['Password: ', { type: 'text', secret: true }],
  ['Enter passphrase for key: ', { type: 'text', secret: true }],
  ['Keep the password file? [y/N] ', { type: 'confirm', confirmWords: ['y', 'n'], default: false }],
];

describe('run: questions read from the conventions libraries print', () => {
  for (const [printed, control] of PRINTED) {
    it(`reads ${JSON.stringify(printed)}`, () => {
      assert.deepEqual(readQuestion(printed), control);
    });
  }

  it("makes any question secret when the program said it reads a password (getpass's warning)", () => {
    // rich's Prompt.ask("Secret", password=True) prints only "Secret: ".
    assert.deepEqual(readQuestion('Secret: ', { passwordReader: true }), {
      type: 'text',
      secret: true,
    });
  });

  it('takes any other text for a choice read from a question, and its options by name or number', () => {
    const control = readQuestion('Pick [soil/water/ALL]: ');
    const shape = control;
    assert.deepEqual(parseAnswerText(shape, 'Water'), { ok: true, value: 'water' });
    assert.deepEqual(parseAnswerText(shape, '2'), { ok: true, value: 'water' });
    assert.deepEqual(parseAnswerText(shape, 'sand'), { ok: true, value: 'sand' });
    assert.equal(validateAnswer(shape, 'sand'), undefined);
    assert.match(validateAnswer({ type: 'choice', options: ['a'] }, 'sand') ?? '', /not one of/);
  });

  it('never throws, and always offers a control whose default it would accept', () => {
    const pieces = fc.constantFrom(
      '[',
      ']',
      '(',
      ')',
      '/',
      ',',
      '|',
      ':',
      '?',
      ' ',
      'y',
      'N',
      'a',
      'default: ',
      '3',
      'Password',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(pieces).map((p) => p.join('')),
        ),
        (question) => {
          const control = readQuestion(question);
          assert.ok(['text', 'confirm', 'choice'].includes(control.type));
          if (control.type === 'choice') assert.ok((control.options?.length ?? 0) >= 2);
          if (control.default !== undefined) {
            const shape = control;
            assert.equal(validateAnswer(shape, control.default), undefined);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

/**
 * [question, control]: the edges of the conventions, each a rule of `readQuestion`
 * (which group counts, which separator, which word names a default).
 */
const DETAILS: readonly (readonly [string, QuestionControl])[] = [
  // The end of a question is any run of spaces, colons, question marks and `>`.
  ['Continue [y/n]> ', { type: 'confirm', confirmWords: ['y', 'n'] }],
  // A group may follow the text or the group before it without a space.
  ['Continue?(y/n)', { type: 'confirm', confirmWords: ['y', 'n'] }],
  [
    'Pick [soil/water/ALL](ALL): ',
    { type: 'choice', options: ['soil', 'water', 'ALL'], allowOther: true, default: 'ALL' },
  ],
  // Only a pair of yes and no words is a confirm; a third option makes a choice.
  ['Answer [y/n/skip]: ', { type: 'choice', options: ['y', 'n', 'skip'], allowOther: true }],
  ['Mode [y/x]: ', { type: 'choice', options: ['y', 'x'], allowOther: true }],
  ['Mode [yes/n]: ', { type: 'choice', options: ['yes', 'n'], allowOther: true }],
  // Both capital (or both small): the case names no default.
  ['Go? [Y/N] ', { type: 'confirm', confirmWords: ['y', 'n'] }],
  // A named default: the program's word, yes/no or true/false, in any case; it beats the case.
  ['Go? [y/n] (Y)', { type: 'confirm', confirmWords: ['y', 'n'], default: true }],
  ['Go? [y/n] (yes)', { type: 'confirm', confirmWords: ['y', 'n'], default: true }],
  ['Go? [y/n] (true)', { type: 'confirm', confirmWords: ['y', 'n'], default: true }],
  ['Go? [Y/n] (no)', { type: 'confirm', confirmWords: ['y', 'n'], default: false }],
  ['Go? [Y/n] (false)', { type: 'confirm', confirmWords: ['y', 'n'], default: false }],
  ['Go? [y/N] (Yes)', { type: 'confirm', confirmWords: ['y', 'n'], default: true }],
  ['Go? [Y/n] (maybe)', { type: 'confirm', confirmWords: ['y', 'n'], default: true }],
  ['Go? [yes/no] (y)', { type: 'confirm', confirmWords: ['yes', 'no'] }],
  // A choice's default is the option it names (exact first, else without case), or its own text.
  ['Pick [a/b] (c)', { type: 'choice', options: ['a', 'b'], allowOther: true, default: 'c' }],
  [
    'Pick [soil/Soil] (Soil)',
    { type: 'choice', options: ['soil', 'Soil'], allowOther: true, default: 'Soil' },
  ],
  // A second list is no default.
  ['Pick [a/b] [c/d]', { type: 'choice', options: ['a', 'b'], allowOther: true }],
  // `/` splits before `|`, `|` before `,`; an empty item means the group is no list.
  ['Pick [a|b/c]', { type: 'choice', options: ['a|b', 'c'], allowOther: true }],
  ['Pick [a|b, c]', { type: 'choice', options: ['a', 'b, c'], allowOther: true }],
  ['Output dir [/tmp/out]: ', { type: 'text', default: '/tmp/out' }],
  // `default` with `=`, `:` or a space, spaces or none, any case, and the whole value.
  ['Passes [default=3]', { type: 'text', default: '3' }],
  ['Passes [default:3]', { type: 'text', default: '3' }],
  ['Passes [Default 3]', { type: 'text', default: '3' }],
  ['Passes [default: 10]', { type: 'text', default: '10' }],
  ['Passes ( default: 3 )', { type: 'text', default: '3' }],
  // `default` names the default only as the group's first word; elsewhere the group is the default.
  ['Passes [no default: 3]', { type: 'text', default: 'no default: 3' }],
  // The innermost group only; an unbalanced bracket is no group.
  ['Pick [a [b]', { type: 'text', default: 'b' }],
  ['Pick (a (b)', { type: 'text', default: 'b' }],
  ['Pick [a]b]', { type: 'text' }],
  ['Pick (a)b)', { type: 'text' }],
  // Secret words are whole words.
  ['Enter passcode: ', { type: 'text', secret: true }],
  ['How many passwords do you keep? ', { type: 'text' }],
  ['Use passwordless login: ', { type: 'text' }],
  ['Your mypassword: ', { type: 'text' }],
];

describe('run: the edges of the question conventions', () => {
  for (const [question, control] of DETAILS) {
    it(`reads ${JSON.stringify(question)}`, () => {
      assert.deepEqual(readQuestion(question), control);
    });
  }
});
