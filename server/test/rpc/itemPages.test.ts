import * as assert from 'node:assert/strict';
import type { RunEvent, RunState } from '@baton/core';
import { plainState } from '@baton/core';
import { itemGroupOf } from '@baton/protocol';
import type { ItemCursor } from '../../src/rpc/service/itemPages';
import { itemIdPage, unitIdsOf } from '../../src/rpc/service/itemPages';
import { drive, newRun } from '../helpers/coreRun';

const COUNT = 150;

/** Every unit of `m` in page order (group, then declaration), read from each unit's status. */
function expectedOrder(state: RunState, units: readonly string[]): string[] {
  const group = (id: string): number => itemGroupOf(state.stages[id]!.status);
  return units
    .map((id, index) => ({ id, index }))
    .sort((a, b) => group(a.id) - group(b.id) || a.index - b.index)
    .map((unit) => unit.id);
}

/** Every unit, page by page through the cursors. */
function pagedOrder(state: RunState, units: readonly string[], limit: number): string[] {
  const ids: string[] = [];
  let after: ItemCursor | undefined;
  for (;;) {
    const page = itemIdPage(state, 'm', units, after === undefined ? { limit } : { limit, after });
    ids.push(...page.ids);
    if (page.next === undefined) return ids;
    after = page.next;
  }
}

describe('itemIdPage', () => {
  it('pages the units failed first, then under way, then the rest, at every state of a run', () => {
    const items = Array.from({ length: COUNT }, (_, i) => i).join(', ');
    const yaml = `name: M\nconcurrency: 3\nstages:\n  m: { run: "true", fail_fast: false, matrix: { n: [${items}] } }\n`;
    const start = newRun(yaml);
    const events: RunEvent[] = [{ type: 'runStarted', at: 10 }];
    // Units start three at a time and every seventh fails; the others succeed.
    for (let i = 0; i < 60; i++) {
      const stage = `m[${i}]`;
      events.push({ type: 'stageStarted', stage, attempt: 1, pid: 100 + i, at: 11 + i });
      if (i >= 2) {
        const done = `m[${i - 2}]`;
        const exitCode = (i - 2) % 7 === 0 ? 1 : 0;
        events.push({
          type: 'stageExited',
          stage: done,
          attempt: 1,
          exitCode,
          random: 0,
          at: 12 + i,
        });
      }
    }
    const states = drive(start, events).map((change) => change.after);
    let checked = 0;
    for (const state of states) {
      const units = unitIdsOf(state, 'm') ?? [];
      if (units.length === 0) continue;
      for (const limit of [7, 50]) {
        assert.deepEqual(pagedOrder(state, units, limit), expectedOrder(state, units));
      }
      checked += 1;
    }
    assert.ok(checked > 100, `${checked} states`);
    // Back to an earlier state, and a plain copy of one: the groups follow whichever is asked.
    const early = states[5]!;
    const units = unitIdsOf(early, 'm') ?? [];
    assert.deepEqual(pagedOrder(early, units, 9), expectedOrder(early, units));
    const plain = plainState(states.at(-1)!);
    assert.deepEqual(pagedOrder(plain, units, 9), expectedOrder(plain, units));
  });
});
