import * as assert from 'node:assert/strict';
import { answeredBy, answeredPrompt, closedQuestionText } from '../src/model/answeredPrompts';
import { prompt } from './builders';

describe('answeredPrompt', () => {
  it('records a stage question answered, and a secret one without its value', () => {
    assert.deepEqual(answeredPrompt(prompt({ type: 'text' }), { answer: 'v1.2', by: 'rpc' }), {
      promptId: 'p1',
      stage: 'deploy',
      message: 'Overwrite the results?',
      answer: 'v1.2',
      secret: false,
      by: 'rpc',
    });
    const secret = answeredPrompt(prompt({ type: 'text', secret: true }), { by: 'cli' });
    assert.equal(secret?.answer, undefined);
    assert.equal(secret?.secret, true);
    assert.equal(answeredBy('rpc'), 'in the editor');
    assert.equal(answeredBy('cli'), 'in the terminal');
  });

  it('records nothing for a question closed without an answer, or a pipeline input', () => {
    assert.equal(answeredPrompt(prompt({ secret: true }), { by: 'cancel' }), undefined);
    assert.equal(answeredPrompt(prompt(), { by: 'exited' }), undefined);
    const input = prompt({ promptId: 'inputs.tag' });
    delete (input as { stage?: string }).stage;
    assert.equal(answeredPrompt(input, { answer: 'x', by: 'rpc' }), undefined);
  });

  it('says how a question closed when a stale notification button is clicked', () => {
    const red = answeredPrompt(prompt({ type: 'choice' }), {
      answer: 'red',
      by: 'baton answer (pid 7)',
    });
    assert.equal(
      closedQuestionText(red),
      'That question is no longer open: it was answered `red` with `baton answer`.',
    );
    const secret = answeredPrompt(prompt({ type: 'text', secret: true }), { by: 'cli' });
    assert.equal(
      closedQuestionText(secret),
      'That question is no longer open: it was answered a secret answer in the terminal.',
    );
    assert.match(closedQuestionText(undefined), /no longer open: .* took its default or timed out/);
  });
});
