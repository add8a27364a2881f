import * as assert from 'node:assert/strict';
import type { RunEvent, StageSpec } from '../../src/index';
import { transition } from '../../src/index';
import { effectsOf, pipelineOf, RunDriver, stageSpec } from './harness';

/** A run whose one stage `a` (declared with `over`) runs attempt 1. */
function running(over: Partial<StageSpec> = {}, interactive = true): RunDriver {
  const run = new RunDriver(pipelineOf([stageSpec('a', over)]), { interactive });
  run.start();
  return run;
}

const ask = {
  type: 'promptOpened',
  promptId: 'q',
  stage: 'a',
  attempt: 1,
  message: 'Q?',
  promptType: 'text',
} as const;

describe('run: stage prompts in detail', () => {
  it('names the prompt types there are for an unknown one', () => {
    assert.equal(
      running().reject({ ...ask, promptType: 'date' as never }),
      "prompt 'q' of stage 'a' has an unknown type 'date' (use text, choice, multi, number, confirm)",
    );
  });

  it('refuses a zero timeout, a multi without options and a choice with an empty list', () => {
    const run = running();
    assert.equal(
      run.reject({ ...ask, timeoutMs: 0 }),
      "prompt 'q' of stage 'a' has a bad timeout: 0",
    );
    assert.equal(
      run.reject({ ...ask, promptType: 'multi' }),
      "prompt 'q' of stage 'a' is a multi without options",
    );
    assert.equal(
      run.reject({ ...ask, promptType: 'choice', options: [] }),
      "prompt 'q' of stage 'a' is a choice without options",
    );
  });

  it('shows a prompt with only the fields the stage gave, and counts it as activity', () => {
    const run = running();
    run.advance(700);
    const [shown] = effectsOf(run.send(ask), 'askUser');
    for (const key of ['options', 'default', 'deadline', 'secret', 'confirmWords', 'allowOther']) {
      assert.equal(key in (shown?.prompt ?? {}), false, key);
    }
    assert.equal(run.stage('a').lastActivityAt, run.now);
  });

  it('does not ask a prompt of a stage that is being stopped', () => {
    const run = running({ timeoutMs: 1000 });
    run.advance(1000);
    run.send({ type: 'timerFired', timer: { kind: 'stageTimeout', stage: 'a', attempt: 1 } });
    assert.equal(run.status('a'), 'running', 'still live until it exits');
    assert.equal(run.reject(ask), "stage 'a' is being stopped; its prompts are not asked");
  });

  it('does not reuse a recorded answer the prompt would refuse now', () => {
    const retry = { attempts: 2, backoffMs: 0, factor: 1, maxBackoffMs: 0, jitter: 0 };
    const run = running({ retry });
    run.send(ask);
    run.send({ type: 'promptAnswered', promptId: 'a/q', value: 'abc', by: 'cli' });
    run.exit('a', 1);
    run.send({ type: 'timerFired', timer: { kind: 'retryDue', stage: 'a', attempt: 1 } });
    const effects = run.send({ ...ask, attempt: 2, promptType: 'number' });
    assert.equal(effectsOf(effects, 'askUser').length, 1, 'asked again');
    assert.deepEqual(effectsOf(effects, 'writeStdin'), []);
  });

  it('says the default answered a prompt of a run nobody can answer', () => {
    const run = running({}, false);
    const effects = run.send({ ...ask, default: 'd' });
    assert.deepEqual(effectsOf(effects, 'closePrompt'), [
      { type: 'closePrompt', promptId: 'a/q', answer: 'd', by: 'default' },
    ]);
  });

  it('refuses the deadline of a prompt already answered', () => {
    const run = running();
    run.send({ ...ask, timeoutMs: 1000 });
    run.send({ type: 'promptAnswered', promptId: 'a/q', value: 'x', by: 'cli' });
    run.advance(1000);
    assert.equal(
      run.reject({ type: 'timerFired', timer: { kind: 'promptDeadline', promptId: 'a/q' } }),
      "prompt 'a/q' is no longer open",
    );
  });

  it('names the time a prompt allowed, not how late its timer fired', () => {
    const run = running();
    run.send({ ...ask, timeoutMs: 2000 });
    run.advance(9000);
    run.send({ type: 'timerFired', timer: { kind: 'promptDeadline', promptId: 'a/q' } });
    assert.equal(
      run.stage('a').reason,
      'prompt "Q?" needs an answer, but nobody answered within 2s and it has no default',
    );
  });
});

describe('run: transition, details', () => {
  it('reports the end of a run only with the event that ended it', () => {
    const run = running();
    const progress = run.send({
      type: 'stageProgress',
      stage: 'a',
      attempt: 1,
      progress: { percent: 5 },
    });
    assert.deepEqual(effectsOf(progress, 'runFinished'), []);
    assert.equal(effectsOf(run.exit('a'), 'runFinished').length, 1);
  });

  it('calls an event of an unknown type unknown, even while the run is queued', () => {
    const queued = new RunDriver(pipelineOf([stageSpec('a')]));
    const odd = { type: 'stageExploded', at: 1 } as unknown as RunEvent;
    assert.match(transition(queued.state, odd).rejected ?? '', /^unknown event /);
  });
});
