import * as assert from 'node:assert/strict';
import type { InputSpec } from '../../src/index';
import { effectsOf, pipelineOf, RunDriver, stageSpec } from './harness';

const asked: InputSpec = { id: 'name', prompt: 'Name?', type: 'text', timeoutMs: 300_000 };
const count: InputSpec = { id: 'count', prompt: 'How many?', type: 'number', timeoutMs: 60_000 };

describe('run: a run that fails before any stage starts', () => {
  it('closes the other open prompts as runFailed and skips every stage, saying why', () => {
    const run = new RunDriver(
      pipelineOf([stageSpec('a', { run: 'go ${{ inputs.name }} ${{ inputs.count }}' })], {
        inputs: [count, asked],
      }),
    );
    run.start();
    run.advance(60_000);
    const effects = run.send({
      type: 'timerFired',
      timer: { kind: 'promptDeadline', promptId: 'inputs.count' },
    });
    const closed = effectsOf(effects, 'closePrompt').find((e) => e.promptId === 'inputs.name');
    assert.equal(closed?.by, 'runFailed');
    assert.equal(run.status('a'), 'skipped');
    assert.equal(
      run.stage('a').reason,
      "not run: the run failed before it could start (input 'count' was not answered within 1m and has no default)",
    );
  });
});
