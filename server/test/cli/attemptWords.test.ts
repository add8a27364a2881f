import * as assert from 'node:assert/strict';
import { createRun, parsePipeline } from '@baton/core';
import type { RunState, StageState } from '@baton/core';
import { LiveView } from '../../src/cli/liveView';
import { PlainView } from '../../src/cli/plainView';
import { captureTerminal } from './captureTerminal';

/** A run of `once` (no retries) and `flaky` (retries: 3), with the two stages changed as given. */
function runWith(once: Partial<StageState>, flaky: Partial<StageState>): RunState {
  const parsed = parsePipeline(
    'name: Demo\nstages:\n  once: { run: "true" }\n  flaky: { run: "true", retries: 3 }\n',
    'demo.pipeline.yaml',
  );
  assert.ok(parsed.pipeline);
  const base = createRun({
    runId: 'r1',
    pipeline: parsed.pipeline,
    at: 0,
    interactive: true,
    defaultConcurrency: 2,
  });
  const stage = (id: 'once' | 'flaky', change: Partial<StageState>): StageState => {
    const before = base.stages[id];
    assert.ok(before);
    return { ...before, startedAt: 0, ...change };
  };
  return {
    ...base,
    status: 'running',
    startedAt: 0,
    stages: { once: stage('once', once), flaky: stage('flaky', flaky) },
  };
}

/** The plain view's lines for a run that moves from nothing started to `state`. */
function plainLines(state: RunState): string[] {
  const terminal = captureTerminal(false);
  const view = new PlainView(terminal, () => 0);
  view.onRunChanged({ runId: 'r1', seq: 3, state, changes: [] });
  return terminal.out.join('').split('\n');
}

/** The live view's screen for `state`. */
function liveScreen(state: RunState): string {
  const terminal = captureTerminal(true);
  const view = new LiveView(terminal, () => 1000);
  view.onRunChanged({ runId: 'r1', seq: 3, state, changes: [] });
  view.start();
  view.stop();
  return terminal.out.join('');
}

describe('CLI attempt words (as the editor tree says them)', () => {
  it('counts attempts only where retries are set', () => {
    const state = runWith(
      { status: 'running', attempt: 1, maxAttempts: 1 },
      { status: 'running', attempt: 2, maxAttempts: 3 },
    );
    const lines = plainLines(state);
    assert.ok(
      lines.some((l) => / \[once\] started$/.test(l)),
      lines.join('\n'),
    );
    assert.ok(
      lines.some((l) => / \[flaky\] started \(attempt 2\/3\)$/.test(l)),
      lines.join('\n'),
    );
    const screen = liveScreen(state);
    assert.match(screen, /flaky .*attempt 2\/3/);
    assert.doesNotMatch(screen, /once .*attempt/);
    assert.doesNotMatch(screen, /#\d/);
  });

  it('shows a resume as a resume, never as an attempt count the stage never had', () => {
    // A resume gives each stage a fresh go: `once` has 2 attempts in all, one per go.
    const state = runWith(
      { status: 'running', attempt: 2, maxAttempts: 2 },
      { status: 'running', attempt: 4, maxAttempts: 6 },
    );
    const lines = plainLines(state);
    assert.ok(
      lines.some((l) => / \[once\] started \(resumed\)$/.test(l)),
      lines.join('\n'),
    );
    assert.ok(
      lines.some((l) => / \[flaky\] started \(resumed · attempt 1\/3\)$/.test(l)),
      lines.join('\n'),
    );
    const screen = liveScreen(state);
    assert.match(screen, /once .*resumed/);
    assert.doesNotMatch(screen, /once .*attempt/);
    assert.match(screen, /flaky .*resumed · attempt 1\/3/);
  });

  it('names a failed attempt within its go when it will be retried', () => {
    const state = runWith(
      { status: 'pending', attempt: 0 },
      { status: 'retrying', attempt: 1, maxAttempts: 3, reason: 'exited with code 1' },
    );
    const lines = plainLines(state);
    assert.ok(
      lines.some((l) => / \[flaky\] attempt 1\/3 failed: exited with code 1; retrying$/.test(l)),
      lines.join('\n'),
    );
  });
});
