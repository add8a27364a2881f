import * as assert from 'node:assert/strict';
import type { InputSpec, Pipeline } from '../../src/index';
import { effectsOf, pipelineOf, RunDriver, spawned, stageSpec } from './harness';

const pillars: InputSpec = {
  id: 'pillars',
  prompt: 'What would you like to re-assess?',
  type: 'choice',
  options: ['Pillar 1', 'Pillar 2', 'ALL'],
  default: 'ALL',
  timeoutMs: 300_000,
};
const count: InputSpec = { id: 'count', prompt: 'How many?', type: 'number' };

function withInputs(...inputs: InputSpec[]): Pipeline {
  return pipelineOf([stageSpec('a', { run: 'go "${{ inputs.pillars }}"' })], { inputs });
}

const ask = {
  type: 'promptOpened',
  promptId: 'proceed',
  stage: 'a',
  attempt: 1,
  message: 'Proceed?',
  promptType: 'confirm',
} as const;

describe('run: input prompts', () => {
  it('asks every missing input before any stage starts, then runs with the answers', () => {
    const run = new RunDriver(withInputs(pillars, count));
    const effects = run.start();
    assert.equal(run.state.status, 'waiting');
    assert.deepEqual(spawned(effects), []);
    const asked = effectsOf(effects, 'askUser').map((e) => e.prompt.id);
    assert.deepEqual(asked, ['inputs.pillars', 'inputs.count']);
    assert.deepEqual(effectsOf(effects, 'startTimer'), [
      {
        type: 'startTimer',
        timer: { kind: 'promptDeadline', promptId: 'inputs.pillars' },
        at: run.now + 300_000,
      },
    ]);
    const first = run.send({
      type: 'promptAnswered',
      promptId: 'inputs.pillars',
      value: 'Pillar 2',
      by: 'cli',
    });
    assert.deepEqual(spawned(first), []);
    assert.equal(run.state.status, 'waiting');
    assert.match(
      run.reject({ type: 'promptAnswered', promptId: 'inputs.count', value: 'three', by: 'cli' }),
      /rejected: expected a finite number/,
    );
    assert.ok(run.state.prompts['inputs.count'], 'the prompt stays open after a wrong answer');
    const last = run.send({
      type: 'promptAnswered',
      promptId: 'inputs.count',
      value: 3,
      by: 'cli',
    });
    assert.deepEqual(spawned(last), ['a']);
    assert.equal(run.state.status, 'running');
    assert.deepEqual(run.state.inputs, { pillars: 'Pillar 2', count: 3 });
  });

  it('applies the default when an input prompt times out, not before', () => {
    const run = new RunDriver(withInputs(pillars));
    run.start();
    run.advance(299_999);
    assert.match(
      run.reject({
        type: 'timerFired',
        timer: { kind: 'promptDeadline', promptId: 'inputs.pillars' },
      }),
      /not due/,
    );
    run.advance(1);
    const effects = run.send({
      type: 'timerFired',
      timer: { kind: 'promptDeadline', promptId: 'inputs.pillars' },
    });
    assert.deepEqual(effectsOf(effects, 'closePrompt'), [
      { type: 'closePrompt', promptId: 'inputs.pillars', answer: 'ALL', by: 'default' },
    ]);
    assert.equal(run.state.inputs['pillars'], 'ALL');
    assert.deepEqual(spawned(effects), ['a']);
  });

  it('fails the run when an input without a default times out', () => {
    const run = new RunDriver(withInputs({ ...count, timeoutMs: 60_000 }, pillars));
    run.start();
    run.advance(60_000);
    const effects = run.send({
      type: 'timerFired',
      timer: { kind: 'promptDeadline', promptId: 'inputs.count' },
    });
    assert.equal(run.state.status, 'failed');
    assert.equal(run.state.reason, "input 'count' was not answered within 1m and has no default");
    assert.deepEqual(run.state.prompts, {});
    assert.equal(run.status('a'), 'skipped');
    assert.ok(effectsOf(effects, 'closePrompt').some((e) => e.promptId === 'inputs.pillars'));
    assert.equal(effectsOf(effects, 'runFinished').length, 1);
  });

  it('takes defaults at once in a non-interactive run', () => {
    const run = new RunDriver(withInputs(pillars), { interactive: false });
    assert.deepEqual(spawned(run.start()), ['a']);
    assert.equal(run.state.inputs['pillars'], 'ALL');
  });

  it('fails a non-interactive run at start when an input has no value and no default', () => {
    const run = new RunDriver(withInputs(pillars, count), { interactive: false });
    const effects = run.start();
    assert.equal(run.state.status, 'failed');
    assert.match(
      run.state.reason ?? '',
      /input 'count' has no value and no default.*--input count=/,
    );
    assert.deepEqual(
      effectsOf(effects, 'runFinished').map((e) => e.status),
      ['failed'],
    );
  });

  it('uses inputs given up front without asking', () => {
    const run = new RunDriver(withInputs(pillars, count), { inputs: { count: '4' } });
    const effects = run.start();
    assert.deepEqual(
      effectsOf(effects, 'askUser').map((e) => e.prompt.id),
      ['inputs.pillars'],
    );
    assert.equal(run.state.inputs['count'], 4);
  });

  it('rejects answers to unknown or closed prompts', () => {
    const run = new RunDriver(withInputs(pillars));
    run.start();
    assert.match(
      run.reject({ type: 'promptAnswered', promptId: 'inputs.nope', value: 'x', by: 'cli' }),
      /no prompt 'inputs.nope' is open/,
    );
    run.send({ type: 'promptAnswered', promptId: 'inputs.pillars', value: 'ALL', by: 'cli' });
    run.reject({ type: 'promptAnswered', promptId: 'inputs.pillars', value: 'ALL', by: 'cli' });
  });
});

describe('run: stage prompts', () => {
  it('shows the prompt, waits, writes the answer to stdin and records it', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a')]));
    run.start();
    const opened = run.send(ask);
    assert.equal(run.status('a'), 'waiting');
    assert.equal(run.state.status, 'waiting');
    const [shown] = effectsOf(opened, 'askUser');
    assert.equal(shown?.prompt.id, 'a/proceed');
    assert.match(
      run.reject({ type: 'promptAnswered', promptId: 'a/proceed', value: 'yes', by: 'rpc' }),
      /expected yes or no/,
    );
    assert.equal(run.status('a'), 'waiting');
    const effects = run.send({
      type: 'promptAnswered',
      promptId: 'a/proceed',
      value: true,
      by: 'rpc',
    });
    assert.deepEqual(effectsOf(effects, 'writeStdin'), [
      { type: 'writeStdin', stage: 'a', attempt: 1, text: 'true\n' },
    ]);
    assert.equal(run.status('a'), 'running');
    assert.equal(run.state.status, 'running');
    assert.deepEqual(run.state.answers['a/proceed'], {
      value: true,
      attempt: 1,
      by: 'rpc',
      at: run.now,
    });
  });

  it('reuses a recorded answer when a later attempt asks again', () => {
    const run = new RunDriver(
      pipelineOf([
        stageSpec('a', {
          retry: { attempts: 2, backoffMs: 10, factor: 1, maxBackoffMs: 10, jitter: 0 },
        }),
      ]),
    );
    run.start();
    run.send(ask);
    run.send({ type: 'promptAnswered', promptId: 'a/proceed', value: false, by: 'rpc' });
    run.exit('a', 1);
    run.send({ type: 'timerFired', timer: { kind: 'retryDue', stage: 'a', attempt: 1 } });
    const effects = run.send({ ...ask, attempt: 2 });
    assert.deepEqual(effectsOf(effects, 'askUser'), []);
    assert.deepEqual(effectsOf(effects, 'writeStdin'), [
      { type: 'writeStdin', stage: 'a', attempt: 2, text: 'false\n' },
    ]);
    assert.deepEqual(effectsOf(effects, 'closePrompt'), [
      { type: 'closePrompt', promptId: 'a/proceed', answer: false, by: 'recorded' },
    ]);
    assert.equal(run.status('a'), 'running');
  });

  it('asks again when the same attempt asks the same prompt twice', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a')]));
    run.start();
    run.send(ask);
    run.send({ type: 'promptAnswered', promptId: 'a/proceed', value: true, by: 'rpc' });
    assert.equal(effectsOf(run.send(ask), 'askUser').length, 1);
  });

  it('takes the default, or kills the stage, in a non-interactive run', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a'), stageSpec('b')]), { interactive: false });
    run.start();
    const withDefault = run.send({ ...ask, default: true });
    assert.deepEqual(
      effectsOf(withDefault, 'writeStdin').map((e) => e.text),
      ['true\n'],
    );
    assert.equal(run.status('a'), 'running');
    const without = run.send({
      ...ask,
      stage: 'b',
      promptId: 'name',
      promptType: 'text',
      message: 'Name?',
    });
    assert.deepEqual(effectsOf(without, 'killStage'), [
      { type: 'killStage', stage: 'b', attempt: 1, reason: 'unanswered' },
    ]);
    run.exit('b', 143);
    assert.equal(run.status('b'), 'failed');
    assert.equal(
      run.stage('b').reason,
      'prompt "Name?" needs an answer, but the run is not interactive and it has no default',
    );
  });

  it('answers with the default at the deadline, or fails the stage without one', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a'), stageSpec('b')]));
    run.start();
    run.send({ ...ask, default: false, timeoutMs: 1000 });
    run.send({ ...ask, stage: 'b', timeoutMs: 1000 });
    run.advance(1000);
    const defaulted = run.send({
      type: 'timerFired',
      timer: { kind: 'promptDeadline', promptId: 'a/proceed' },
    });
    assert.deepEqual(
      effectsOf(defaulted, 'writeStdin').map((e) => e.text),
      ['false\n'],
    );
    assert.equal(run.state.answers['a/proceed'], undefined, 'a default is not recorded');
    const killed = run.send({
      type: 'timerFired',
      timer: { kind: 'promptDeadline', promptId: 'b/proceed' },
    });
    assert.equal(effectsOf(killed, 'killStage')[0]?.reason, 'unanswered');
    run.exit('b', 143);
    assert.match(run.stage('b').reason ?? '', /nobody answered within 1s/);
  });

  it('closes the prompts of a stage that exits', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a')]));
    run.start();
    run.send(ask);
    const effects = run.exit('a', 0);
    assert.deepEqual(effectsOf(effects, 'closePrompt'), [
      { type: 'closePrompt', promptId: 'a/proceed', by: 'exited' },
    ]);
    assert.equal(run.state.status, 'succeeded');
  });

  it('rejects malformed prompts and prompts of stages that are not running', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a'), stageSpec('b', { needs: ['a'] })]));
    run.start();
    assert.match(run.reject({ ...ask, promptType: 'choice' }), /choice without options/);
    assert.match(
      run.reject({ ...ask, promptType: 'choice', options: ['x'], default: 'y' }),
      /bad default: 'y' is not one of 'x'/,
    );
    assert.match(run.reject({ ...ask, promptType: 'date' as never }), /unknown type 'date'/);
    assert.match(run.reject({ ...ask, timeoutMs: -5 }), /bad timeout: -5/);
    assert.match(run.reject({ ...ask, stage: 'b' }), /'b' is pending, not running/);
    run.send(ask);
    assert.match(run.reject(ask), /already open/);
  });
});
