import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunStatus, StageStatus } from '../../src/index';
import {
  isExecutingRunStatus,
  isFinalRunStatus,
  isFinalStageStatus,
  isLiveStageStatus,
  isStoppedRunStatus,
  RUN_TRANSITIONS,
  STAGE_TRANSITIONS,
} from '../../src/index';
import { repoRoot } from '../pipeline/repo';

const FINAL_STAGE: readonly StageStatus[] = ['succeeded', 'failed', 'skipped', 'cancelled'];

/**
 * The `from → to` pairs of the table under `heading` in docs/state-machines.md,
 * sorted; "any final" stands for every final stage status, and a row that
 * keeps the status (a new reason) is left out.
 */
function documentedPairs(heading: string): string[] {
  const text = readFileSync(join(repoRoot(), 'docs', 'state-machines.md'), 'utf8');
  const section = text.slice(text.indexOf(`\n${heading}\n`));
  const table = section.slice(0, section.indexOf('\n\n', section.indexOf('| from')));
  const pairs = new Set<string>();
  for (const row of table.split('\n').slice(3)) {
    const [, from = '', to = ''] = row.split('|');
    const names = (cell: string) => [
      ...(cell.includes('any final') ? FINAL_STAGE : []),
      ...[...cell.matchAll(/`(\w+)`/g)].map((m) => m[1] ?? ''),
    ];
    for (const a of names(from)) for (const b of names(to)) if (a !== b) pairs.add(`${a} → ${b}`);
  }
  return [...pairs].sort();
}

function pairsOf(table: Readonly<Record<string, readonly string[]>>): string[] {
  return Object.entries(table)
    .flatMap(([from, tos]) => tos.map((to) => `${from} → ${to}`))
    .sort();
}

describe('run: the state machine tables', () => {
  it('allow exactly the run changes docs/state-machines.md lists', () => {
    assert.deepEqual(pairsOf(RUN_TRANSITIONS), documentedPairs('## The run'));
  });

  it('allow exactly the stage changes docs/state-machines.md lists', () => {
    assert.deepEqual(pairsOf(STAGE_TRANSITIONS), documentedPairs('## A stage'));
  });

  it('name the final, stopped, executing and live statuses', () => {
    const runs: RunStatus[] = Object.keys(RUN_TRANSITIONS) as RunStatus[];
    assert.deepEqual(runs.filter(isFinalRunStatus), ['succeeded', 'failed', 'cancelled']);
    assert.deepEqual(runs.filter(isStoppedRunStatus), [
      'succeeded',
      'failed',
      'cancelled',
      'interrupted',
    ]);
    assert.deepEqual(runs.filter(isExecutingRunStatus), ['running', 'waiting']);
    const stages: StageStatus[] = Object.keys(STAGE_TRANSITIONS) as StageStatus[];
    assert.deepEqual(stages.filter(isFinalStageStatus), [
      'succeeded',
      'failed',
      'skipped',
      'cancelled',
    ]);
    assert.deepEqual(stages.filter(isLiveStageStatus), ['running', 'waiting']);
  });
});
