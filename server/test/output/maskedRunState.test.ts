import * as assert from 'node:assert/strict';
import { changedStageIds } from '@baton/core';
import type { RunEvent, RunState } from '@baton/core';
import { Masker } from '../../src/output/masker';
import { MaskedRunState } from '../../src/output/maskedRunState';
import { drive, newRun } from '../helpers/coreRun';

/** A pipeline of `count` independent stages `s0`, `s1`, …. */
function manyStages(count: number): RunState {
  const lines = Array.from({ length: count }, (_, i) => `  s${i}: { run: "true" }`);
  return newRun(`name: M\nconcurrency: 1\nstages:\n${lines.join('\n')}\n`);
}

const EVENTS: readonly RunEvent[] = [
  { type: 'runStarted', at: 2 },
  { type: 'stageStarted', stage: 's0', attempt: 1, pid: 10, at: 3 },
  {
    type: 'stageExited',
    stage: 's0',
    attempt: 1,
    exitCode: 0,
    outputs: { token: 'hunter2-x' },
    random: 0,
    at: 4,
  },
  { type: 'stageStarted', stage: 's1', attempt: 1, pid: 11, at: 5 },
];

describe('MaskedRunState', () => {
  it('is the whole state masked after every event', () => {
    const masker = new Masker();
    masker.add('hunter2');
    const start = manyStages(5);
    const masked = new MaskedRunState(masker, start);
    for (const change of drive(start, EVENTS)) {
      const got = masked.advance(change.after);
      assert.deepEqual(JSON.parse(JSON.stringify(got)), masker.maskValue(change.after));
    }
  });

  it('masks again only the stages an event changed, sharing the rest', () => {
    const masker = new Masker();
    masker.add('hunter2');
    const start = manyStages(300);
    const masked = new MaskedRunState(masker, start);
    const changes = drive(start, EVENTS);
    // The first event starts from a plain record, which only a walk can compare.
    let before = masked.advance(changes[0]?.after as RunState);
    for (const change of changes.slice(1)) {
      const after = masked.advance(change.after);
      const changed = changedStageIds(change.before, change.after) ?? [];
      assert.ok(changed.length > 0 && changed.length < 3);
      for (const id of Object.keys(after.stages)) {
        if (changed.includes(id)) continue;
        assert.equal(after.stages[id], before.stages[id], `${id} was masked again`);
      }
      // Two masked states compare by their chunks, as the core's do.
      assert.deepEqual(changedStageIds(before, after), changed);
      assert.equal(after.pipeline, before.pipeline);
      before = after;
    }
    assert.equal(before.stages['s0']?.outputs['token'], '***-x');
  });

  it('masks the whole state again once a secret is added', () => {
    const masker = new Masker();
    masker.add('unrelated');
    const start = manyStages(3);
    const masked = new MaskedRunState(masker, start);
    const changes = drive(start, EVENTS);
    for (const change of changes) masked.advance(change.after);
    const last = changes.at(-1)?.after as RunState;
    assert.equal(masked.of(last).stages['s0']?.outputs['token'], 'hunter2-x');
    masker.add('hunter2');
    assert.equal(masked.of(last).stages['s0']?.outputs['token'], '***-x');
    assert.deepEqual(JSON.parse(JSON.stringify(masked.of(last))), masker.maskValue(last));
  });

  it('hands the state on untouched when nothing is secret', () => {
    const start = manyStages(2);
    const masked = new MaskedRunState(new Masker(), start);
    const [change] = drive(start, EVENTS.slice(0, 1));
    assert.equal(masked.advance(change?.after as RunState), change?.after);
  });
});
