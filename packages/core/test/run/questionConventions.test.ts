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
