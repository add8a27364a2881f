import * as assert from 'node:assert/strict';
import type { AnswerShape } from '../../src/index';
import {
  canRunTransition,
  canStageTransition,
  createRun,
  InvalidInputsError,
  parseAnswerText,
  RUN_TRANSITIONS,
  STAGE_TRANSITIONS,
  validateAnswer,
} from '../../src/index';
import { pipelineOf, stageSpec } from './harness';

const choice: AnswerShape = { type: 'choice', options: ['Pillar 1', 'Pillar 2', 'ALL'] };
const multi: AnswerShape = { type: 'multi', options: ['a', 'b', 'c'] };

describe('run: answers', () => {
  it('type-checks answers per prompt type', () => {
    assert.equal(validateAnswer({ type: 'text' }, 'x'), undefined);
    assert.equal(validateAnswer({ type: 'text' }, 3), 'expected text');
    assert.equal(validateAnswer(choice, 'ALL'), undefined);
    assert.equal(
      validateAnswer(choice, 'all'),
      "'all' is not one of 'Pillar 1', 'Pillar 2', 'ALL'",
    );
    assert.equal(validateAnswer(multi, ['a', 'c']), undefined);
    assert.equal(validateAnswer(multi, []), undefined);
    assert.equal(validateAnswer(multi, ['a', 'z']), "'z' is not among 'a', 'b', 'c'");
    assert.equal(validateAnswer(multi, ['a', 'a']), 'an option is listed more than once');
    assert.match(validateAnswer(multi, 'a') ?? '', /expected a list/);
    assert.equal(validateAnswer({ type: 'number' }, 2.5), undefined);
    assert.equal(validateAnswer({ type: 'number' }, Number.NaN), 'expected a finite number');
    assert.equal(validateAnswer({ type: 'number' }, '2'), 'expected a finite number');
    assert.equal(validateAnswer({ type: 'confirm' }, false), undefined);
    assert.match(validateAnswer({ type: 'confirm' }, 'yes') ?? '', /expected yes or no/);
  });

  it('reads typed text into answers, with clear errors', () => {
    assert.deepEqual(parseAnswerText({ type: 'confirm' }, ' Yes '), { ok: true, value: true });
    assert.deepEqual(parseAnswerText({ type: 'confirm' }, 'n'), { ok: true, value: false });
    assert.deepEqual(parseAnswerText({ type: 'confirm' }, 'maybe'), {
      ok: false,
      error: "'maybe' is not yes or no (answer y or n)",
    });
    assert.deepEqual(parseAnswerText({ type: 'number' }, ' 42.5'), { ok: true, value: 42.5 });
    assert.equal(parseAnswerText({ type: 'number' }, '').ok, false);
    assert.deepEqual(parseAnswerText({ type: 'number' }, 'ten'), {
      ok: false,
      error: "'ten' is not a number",
    });
    assert.deepEqual(parseAnswerText(choice, 'all'), { ok: true, value: 'ALL' });
    assert.deepEqual(parseAnswerText(choice, '2'), { ok: true, value: 'Pillar 2' });
    assert.equal(parseAnswerText(choice, 'Pillar 9').ok, false);
    assert.deepEqual(parseAnswerText(multi, 'a, C,a,'), { ok: true, value: ['a', 'c'] });
    assert.deepEqual(parseAnswerText(multi, 'a,x'), {
      ok: false,
      error: "'x' is not one of 'a', 'b', 'c'",
    });
    assert.deepEqual(parseAnswerText({ type: 'text' }, ' as typed '), {
      ok: true,
      value: ' as typed ',
    });
  });
});

describe('run: creation and machines', () => {
  const pipeline = pipelineOf(
    [
      stageSpec('a', {
        retry: { attempts: 3, backoffMs: 1, factor: 1, maxBackoffMs: 1, jitter: 0 },
      }),
    ],
    {
      inputs: [
        { id: 'n', prompt: 'N?', type: 'number' },
        { id: 'go', prompt: 'Go?', type: 'confirm' },
      ],
    },
  );

  it('creates a queued run with pending stages and coerced inputs', () => {
    const run = createRun({
      runId: 'r',
      pipeline,
      inputs: { n: '3', go: 'yes' },
      at: 5,
      interactive: true,
      defaultConcurrency: 2,
    });
    assert.equal(run.status, 'queued');
    assert.equal(run.seq, 0);
    assert.equal(run.concurrency, 2);
    assert.deepEqual(run.inputs, { n: 3, go: true });
    assert.deepEqual(run.stages['a'], {
      id: 'a',
      status: 'pending',
      attempt: 0,
      maxAttempts: 3,
      outputs: {},
    });
  });

  it('reports every bad input at once', () => {
    assert.throws(
      () =>
        createRun({
          runId: 'r',
          pipeline,
          inputs: { n: 'many', nope: 'x', go: 1 },
          at: 0,
          interactive: true,
          defaultConcurrency: 1,
        }),
      (error: unknown) => {
        assert.ok(error instanceof InvalidInputsError);
        assert.deepEqual(error.problems, [
          "input 'n': 'many' is not a number",
          "unknown input 'nope': pipeline 'test' has no such input (declared inputs: n, go)",
          "input 'go': expected yes or no (a boolean)",
        ]);
        return true;
      },
    );
    assert.throws(
      () => createRun({ runId: 'r', pipeline, at: 0, interactive: true, defaultConcurrency: 0 }),
      /concurrency must be a whole number of at least 1, got 0/,
    );
  });

  it('refuses a stage graph that could never finish', () => {
    const make = (stages: ReturnType<typeof stageSpec>[]) => () =>
      createRun({
        runId: 'r',
        pipeline: pipelineOf(stages),
        at: 0,
        interactive: true,
        defaultConcurrency: 1,
      });
    assert.throws(
      make([stageSpec('a', { needs: ['b'] }), stageSpec('b', { needs: ['a'] })]),
      /cannot run: stages depend on each other in a cycle: a → b → a/,
    );
    assert.throws(
      make([stageSpec('a', { needs: ['zz'] })]),
      /'a' needs 'zz', which does not exist/,
    );
    assert.throws(make([stageSpec('a'), stageSpec('a')]), /'a' is declared twice/);
  });

  it('allows only the documented transitions', () => {
    assert.equal(canRunTransition('queued', 'running'), true);
    assert.equal(canRunTransition('succeeded', 'running'), false);
    assert.equal(canRunTransition('waiting', 'succeeded'), false);
    assert.equal(canStageTransition('pending', 'running'), false);
    assert.equal(canStageTransition('retrying', 'ready'), true);
    assert.equal(canStageTransition('succeeded', 'pending'), true);
    assert.deepEqual(RUN_TRANSITIONS.succeeded, []);
    for (const final of ['succeeded', 'failed', 'skipped'] as const) {
      assert.deepEqual(STAGE_TRANSITIONS[final], ['pending'], `${final} leaves only by resume`);
    }
    // A resume re-attaches to a cancelled stage's detached attempt (see resume.ts).
    assert.deepEqual(STAGE_TRANSITIONS.cancelled, ['pending', 'running']);
  });
});
