import * as assert from 'node:assert/strict';
import { createRun, parsePipeline, transition } from '@baton/core';
import type { LoggedEvent, RunEvent, RunState } from '@baton/core';
import type { RunChange } from '../../src/engine/engineEvents';

/** A fresh run (queued, seq 0) of the pipeline in `yaml`. */
export function newRun(yaml: string, runId = '20260101-000000-000-abcd'): RunState {
  const parsed = parsePipeline(yaml, '/w/demo.pipeline.yaml');
  assert.ok(parsed.pipeline, JSON.stringify(parsed.diagnostics));
  return createRun({
    runId,
    pipeline: parsed.pipeline,
    at: 1,
    interactive: true,
    defaultConcurrency: 4,
  });
}

/** Feeds events to the core one by one, as the engine does; each must be accepted. */
export function drive(state: RunState, events: readonly RunEvent[]): RunChange[] {
  const changes: RunChange[] = [];
  let before = state;
  for (const event of events) {
    const result = transition(before, event);
    assert.equal(result.rejected, undefined, `${event.type} rejected: ${String(result.rejected)}`);
    const logged = { ...event, seq: result.state.seq } as LoggedEvent;
    changes.push({ before, event: logged, after: result.state });
    before = result.state;
  }
  return changes;
}

/** The state after the last change (or `state` without any). */
export function lastState(state: RunState, changes: readonly RunChange[]): RunState {
  return changes.at(-1)?.after ?? state;
}
