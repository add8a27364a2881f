import * as assert from 'node:assert/strict';
import { effectsOf, pipelineOf, RunDriver, stageSpec } from './harness';

/** A run with one stage `a` that is running and can ask. */
function running(interactive = true): RunDriver {
  const run = new RunDriver(
    pipelineOf([
      stageSpec('a', {
        retry: { attempts: 2, backoffMs: 10, factor: 1, maxBackoffMs: 10, jitter: 0 },
      }),
    ]),
    { interactive },
  );
  run.start();
  return run;
}

const base = { type: 'promptOpened', stage: 'a', attempt: 1 } as const;

describe('run: prompts read from a printed question', () => {
  it('writes a confirm as the words the program takes', () => {
    const run = running();
    run.send({
      ...base,
      promptId: 'input-1',
      message: 'Go on? [y/N]:',
      promptType: 'confirm',
      default: false,
      confirmWords: ['y', 'n'],
    });
    const effects = run.send({
      type: 'promptAnswered',
      promptId: 'a/input-1',
      value: true,
      by: 'test',
    });
    assert.deepEqual(
      effectsOf(effects, 'writeStdin').map((e) => e.text),
      ['y\n'],
    );
  });

  it("answers a confirm with its default in the program's words when nobody can answer", () => {
    const run = running(false);
    const effects = run.send({
      ...base,
      promptId: 'input-1',
      message: 'Sure? (yes/no) (no)',
      promptType: 'confirm',
      default: false,
      confirmWords: ['yes', 'no'],
    });
    assert.deepEqual(
      effectsOf(effects, 'writeStdin').map((e) => e.text),
      ['no\n'],
    );
  });

  it('takes other text for a choice that allows it, and only then', () => {
    const run = running();
    const choice = {
      ...base,
      message: 'Pick [a/b]:',
      promptType: 'choice',
      options: ['a', 'b'],
    } as const;
    run.send({ ...choice, promptId: 'strict' });
    assert.match(
      run.reject({ type: 'promptAnswered', promptId: 'a/strict', value: 'c', by: 'test' }),
      /not one of/,
    );
    run.send({ type: 'promptAnswered', promptId: 'a/strict', value: 'a', by: 'test' });
    run.send({ ...choice, promptId: 'open', allowOther: true });
    const effects = run.send({
      type: 'promptAnswered',
      promptId: 'a/open',
      value: 'c',
      by: 'test',
    });
    assert.deepEqual(
      effectsOf(effects, 'writeStdin').map((e) => e.text),
      ['c\n'],
    );
  });

  it('keeps a secret prompt secret and never records its answer for reuse', () => {
    const run = running();
    const effects = run.send({
      ...base,
      promptId: 'input-1',
      message: 'Password:',
      promptType: 'text',
      secret: true,
    });
    assert.equal(effectsOf(effects, 'askUser')[0]?.prompt.secret, true);
    run.send({ type: 'promptAnswered', promptId: 'a/input-1', value: 'pw', by: 'test' });
    assert.deepEqual(run.state.answers, {});
    run.send({ ...base, promptId: 'name', message: 'Name:', promptType: 'text' });
    run.send({ type: 'promptAnswered', promptId: 'a/name', value: 'Ada', by: 'test' });
    assert.deepEqual(Object.keys(run.state.answers), ['a/name']);
  });
});
