import * as assert from 'node:assert/strict';
import type { RunEvent, RunState } from '@baton/core';
import { plainState, withStages } from '@baton/core';
import { checkpointPieces } from '../../src/store/checkpointText';
import { drive, newRun } from '../helpers/coreRun';

const text = (state: RunState): string => [...checkpointPieces(state, 4096)].join('');

/** A matrix stage of `count` units, run one unit after another for `done` of them. */
function matrixRun(count: number, done: number, ids = (i: number) => `${i}`): RunState[] {
  const items = Array.from({ length: count }, (_, i) => ids(i)).join(', ');
  const start = newRun(
    `name: M\nconcurrency: 1\nstages:\n  m: { run: "true", matrix: { n: [${items}] } }\n`,
  );
  const events: RunEvent[] = [{ type: 'runStarted', at: 10 }];
  for (let i = 0; i < done; i++) {
    const stage = `m[${ids(i)}]`;
    events.push({ type: 'stageStarted', stage, attempt: 1, pid: 100 + i, at: 11 + i });
    events.push({ type: 'stageExited', stage, attempt: 1, exitCode: 0, random: 0, at: 12 + i });
  }
  return [start, ...drive(start, events).map((change) => change.after)];
}

describe('checkpointPieces', () => {
  it('is JSON.stringify of each state of a 500-unit run, kept chunk texts and all', () => {
    const states = matrixRun(500, 150);
    // Every state in turn, as the recorder writes them: kept texts are reused along the way.
    for (const state of states) assert.equal(text(state), JSON.stringify(state));
  });

  it('is JSON.stringify of a masked copy, of a plain state and of stage ids JSON reorders', () => {
    const states = matrixRun(200, 5);
    const state = states.at(-1) as RunState;
    const masked = {
      ...state,
      stages: withStages(state.stages, [{ ...state.stages['m[3]']!, reason: '***' }]),
    };
    assert.equal(text(masked), JSON.stringify(masked));
    assert.equal(text(plainState(state)), JSON.stringify(plainState(state)));
    // Ids that are array indexes (no stage's, but the record allows them): JSON writes them first.
    const b = state.stages['m[1]']!;
    const odd = { ...state, stages: withStages({}, [b, { ...b, id: '7' }, { ...b, id: '2' }]) };
    assert.equal(text(odd), JSON.stringify(odd));
  });
});
