import * as assert from 'node:assert/strict';
import {
  answerChoices,
  initialText,
  inputQuestion,
  promptHeadline,
  promptTitle,
  typedAnswer,
  validateTypedAnswer,
} from '../src/model/promptModel';
import { prompt } from './builders';

describe('prompt formatting', () => {
  it('words the notification as pipeline › stage asks: question', () => {
    assert.equal(
      promptHeadline('Review', prompt()),
      'Review › deploy asks: Overwrite the results?',
    );
    const { stage: _stage, ...input } = prompt();
    assert.equal(promptHeadline('Review', input), 'Review asks: Overwrite the results?');
  });

  it('shows the time left in the title', () => {
    assert.equal(
      promptTitle('Review', prompt({ deadline: 95_000 }), 40_000),
      'Review › deploy · 55s left',
    );
    assert.equal(
      promptTitle('Review', prompt({ deadline: 1 }), 40_000),
      'Review › deploy · time is up',
    );
    assert.equal(promptTitle('Review', prompt(), 0), 'Review › deploy');
  });

  it('marks and pre-selects the default choice', () => {
    const rows = answerChoices(prompt({ type: 'choice', options: ['a', 'b', 'c'], default: 'b' }));
    assert.deepEqual(rows, [
      { label: 'a', value: 'a', picked: false },
      { label: 'b', value: 'b', picked: true, description: '(default)' },
      { label: 'c', value: 'c', picked: false },
    ]);
  });

  it('offers Yes/No for confirm and pre-selects every default of multi', () => {
    assert.deepEqual(
      answerChoices(prompt({ type: 'confirm', default: false })).map((r) => [
        r.label,
        r.value,
        r.picked,
      ]),
      [
        ['Yes', true, false],
        ['No', false, true],
      ],
    );
    const multi = answerChoices(
      prompt({ type: 'multi', options: ['x', 'y', 'z'], default: ['x', 'z'] }),
    );
    assert.deepEqual(
      multi.map((r) => r.picked),
      [true, false, true],
    );
  });

  it('validates and converts numbers', () => {
    const question = prompt({ type: 'number', default: 3 });
    assert.equal(validateTypedAnswer(question, '12.5'), undefined);
    assert.equal(validateTypedAnswer(question, 'twelve'), '"twelve" is not a number.');
    assert.equal(validateTypedAnswer(question, ' '), 'Enter a number.');
    assert.equal(typedAnswer(question, ' 7 '), 7);
    assert.equal(initialText(question), '3');
  });

  it('never pre-fills a secret', () => {
    assert.equal(
      initialText(prompt({ type: 'text', default: 'hunter2', secret: true })),
      undefined,
    );
  });

  it('turns a pipeline input into a question', () => {
    assert.deepEqual(
      inputQuestion({
        id: 'env',
        prompt: 'Which environment?',
        type: 'choice',
        options: ['dev', 'prod'],
        default: 'dev',
      }),
      {
        message: 'Which environment?',
        type: 'choice',
        options: ['dev', 'prod'],
        default: 'dev',
      },
    );
  });
});
