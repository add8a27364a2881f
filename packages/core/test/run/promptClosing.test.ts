import * as assert from 'node:assert/strict';
import type { InputSpec } from '../../src/index';
import { missingInputsReason } from '../../src/run/prompts';
import { effectsOf, pipelineOf, RunDriver, stageSpec } from './harness';

const question = (promptId: string, timeoutMs?: number) =>
  ({
    type: 'promptOpened',
    promptId,
    stage: 'a',
    attempt: 1,
    message: `${promptId}?`,
    promptType: 'text',
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  }) as const;

describe('run: closing prompts', () => {
  it('keeps a stage waiting until the last of its open prompts is answered', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a'), stageSpec('b')]));
    run.start();
    run.send(question('first'));
    run.send(question('second'));
    run.send({
      type: 'promptOpened',
      promptId: 'other',
      stage: 'b',
      attempt: 1,
      message: 'b?',
      promptType: 'text',
    });
    assert.equal(run.stage('a').status, 'waiting');
    run.send({ type: 'promptAnswered', promptId: 'a/first', value: 'x', by: 'cli' });
    assert.equal(run.stage('a').status, 'waiting', 'one of its prompts is still open');
    run.send({ type: 'promptAnswered', promptId: 'a/second', value: 'y', by: 'cli' });
    assert.equal(run.stage('a').status, 'running');
    assert.equal(run.stage('b').status, 'waiting', 'another stage’s prompt is not its own');
  });

  it('cancels the deadline of a prompt that had one when it is answered, and only then', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a')]));
    run.start();
    run.send(question('timed', 60_000));
    run.send(question('open'));
    const timed = run.send({ type: 'promptAnswered', promptId: 'a/timed', value: 'x', by: 'cli' });
    assert.deepEqual(effectsOf(timed, 'cancelTimer'), [
      { type: 'cancelTimer', timer: { kind: 'promptDeadline', promptId: 'a/timed' } },
    ]);
    const open = run.send({ type: 'promptAnswered', promptId: 'a/open', value: 'y', by: 'cli' });
    assert.deepEqual(effectsOf(open, 'cancelTimer'), []);
  });
});

describe('run: closing prompts, details', () => {
  it("closes only the exiting stage's prompts", () => {
    const run = new RunDriver(pipelineOf([stageSpec('a'), stageSpec('b')]));
    run.start();
    run.send(question('mine'));
    run.send({ ...question('theirs'), stage: 'b' });
    const effects = run.exit('a');
    assert.deepEqual(
      effectsOf(effects, 'closePrompt').map((e) => e.promptId),
      ['a/mine'],
    );
    assert.deepEqual(Object.keys(run.state.prompts), ['b/theirs']);
    assert.equal(run.stage('b').status, 'waiting');
  });

  it('writes confirm words only for a yes or no answer', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a')]));
    run.start();
    run.send({ ...question('name'), confirmWords: ['y', 'n'] });
    const effects = run.send({
      type: 'promptAnswered',
      promptId: 'a/name',
      value: 'yes please',
      by: 'cli',
    });
    assert.deepEqual(
      effectsOf(effects, 'writeStdin').map((e) => e.text),
      ['yes please\n'],
    );
  });

  it('counts an answer as activity of its stage', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a')]));
    run.start();
    run.send(question('q'));
    run.advance(5000);
    run.send({ type: 'promptAnswered', promptId: 'a/q', value: 'x', by: 'cli' });
    assert.equal(run.stage('a').lastActivityAt, run.now);
  });
});

describe('run: input prompts, details', () => {
  const secret: InputSpec = { id: 'token', prompt: 'Token?', type: 'text', secret: true };
  const plain: InputSpec = { id: 'name', prompt: 'Name?', type: 'text' };
  const given: InputSpec = { id: 'given', prompt: 'Given?', type: 'text' };

  it('asks only inputs without a value, marking the secret ones secret', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a')], { inputs: [secret, plain, given] }), {
      inputs: { given: 'yes' },
    });
    const asked = effectsOf(run.start(), 'askUser').map((e) => e.prompt);
    assert.deepEqual(
      asked.map((p) => p.id),
      ['inputs.token', 'inputs.name'],
    );
    assert.equal(asked[0]?.secret, true);
    assert.equal('secret' in (asked[1] ?? {}), false);
    for (const key of ['options', 'default', 'deadline']) {
      assert.equal(key in (asked[1] ?? {}), false, `a prompt without ${key} has no such field`);
    }
  });

  it('names every input a non-interactive run lacks, and the flags that give them', () => {
    assert.equal(
      missingInputsReason(['a', 'b']),
      "input 'a', 'b' have no value and no default, and the run is not interactive (give --input a=… --input b=…)",
    );
    assert.equal(
      missingInputsReason(['a']),
      "input 'a' has no value and no default, and the run is not interactive (give --input a=…)",
    );
  });
});
