import * as assert from 'node:assert/strict';
import type { RunState, StageState } from '../../src/index';
import { isCheckpointWorthy } from '../../src/run/settle';
import { effectsOf, pipelineOf, RunDriver, stageSpec } from './harness';

/** A started run of two stages, `a` running and `b` waiting for it. */
function startedRun(): RunDriver {
  const run = new RunDriver(pipelineOf([stageSpec('a'), stageSpec('b', { needs: ['a'] })]));
  run.start();
  return run;
}

/** `state` with stage `id` changed by `change`. */
function withStage(state: RunState, id: string, change: Partial<StageState>): RunState {
  const stage = state.stages[id];
  assert.ok(stage, id);
  return { ...state, stages: { ...state.stages, [id]: { ...stage, ...change } } };
}

describe('run: checkpoints (which changes are worth a persist)', () => {
  it('persists a started run and a started stage, but not progress alone', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a')]));
    assert.deepEqual(effectsOf(run.start(), 'persist'), [{ type: 'persist' }]);
    const started = run.send({ type: 'stageStarted', stage: 'a', attempt: 1, pid: 4242 });
    assert.deepEqual(effectsOf(started, 'persist'), [{ type: 'persist' }]);
    const progress = run.send({
      type: 'stageProgress',
      stage: 'a',
      attempt: 1,
      progress: { percent: 50 },
    });
    assert.deepEqual(effectsOf(progress, 'persist'), []);
    assert.equal(run.stage('a').progress?.percent, 50);
  });

  it('finds nothing worth a checkpoint between equal states, shared or copied', () => {
    const { state } = startedRun();
    assert.equal(isCheckpointWorthy(state, state), false);
    const copy: RunState = {
      ...state,
      prompts: { ...state.prompts },
      inputs: { ...state.inputs },
      answers: { ...state.answers },
      stages: { ...state.stages },
    };
    assert.equal(isCheckpointWorthy(state, copy), false);
    assert.equal(isCheckpointWorthy(state, copy, ['a', 'b']), false);
  });

  it('checkpoints a change of run status or of the stop request', () => {
    const { state } = startedRun();
    assert.equal(isCheckpointWorthy(state, { ...state, status: 'waiting' }), true);
    assert.equal(isCheckpointWorthy(state, { ...state, cancelRequested: true }), true);
  });

  it('checkpoints a prompt, input or answer that came or went, even with the same count', () => {
    const { state } = startedRun();
    const prompt = { id: 'a/go' } as unknown as RunState['prompts'][string];
    const opened = { ...state, prompts: { 'a/go': prompt } };
    assert.equal(isCheckpointWorthy(state, opened), true);
    assert.equal(isCheckpointWorthy(opened, state), true);
    assert.equal(isCheckpointWorthy(opened, { ...state, prompts: { 'b/go': prompt } }), true);
    assert.equal(isCheckpointWorthy(opened, { ...state, prompts: { 'a/go': prompt } }), false);
    assert.equal(isCheckpointWorthy(state, { ...state, inputs: { ...state.inputs, x: 1 } }), true);
    assert.equal(
      isCheckpointWorthy(state, {
        ...state,
        answers: { ...state.answers, 'a/go': { value: 'yes', attempt: 1, by: 'test', at: 1 } },
      }),
      true,
    );
  });

  it('checkpoints a stage whose status, attempt, kill request or pid changed, not its progress', () => {
    const { state } = startedRun();
    const changes: [Partial<StageState>, boolean][] = [
      [{ status: 'succeeded' }, true],
      [{ attempt: 2 }, true],
      [{ killRequested: 'cancel' }, true],
      [{ pid: 99 }, true],
      [{ progress: { percent: 10 }, lastActivityAt: 5 }, false],
    ];
    for (const [change, worthy] of changes) {
      const after = withStage(state, 'a', change);
      assert.equal(isCheckpointWorthy(state, after), worthy, JSON.stringify(change));
      assert.equal(isCheckpointWorthy(state, after, ['a']), worthy, JSON.stringify(change));
    }
    const { b: _dropped, ...rest } = state.stages;
    const before = { ...state, stages: rest };
    assert.equal(isCheckpointWorthy(before, state), true, 'a stage that was not there');
    assert.equal(isCheckpointWorthy(before, state, ['b']), true, 'a stage that was not there');
  });

  it('looks only at the touched stages when it is told which they are', () => {
    const { state } = startedRun();
    const after = withStage(state, 'a', { status: 'succeeded' });
    assert.equal(isCheckpointWorthy(state, after, ['b']), false);
    assert.equal(isCheckpointWorthy(state, after, ['b', 'a']), true);
    assert.equal(isCheckpointWorthy(state, after, ['zz']), false, 'an id that is no stage');
    assert.equal(isCheckpointWorthy(state, after, []), false);
  });
});
