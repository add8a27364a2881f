import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as Core from '@baton/core';
import { SummaryCache } from '../../src/rpc/service/summaryCache';

type StageFields = { attempt?: number; status?: Core.StageStatus; endedAt?: number | undefined };

/** A run state with just what the cache reads: stage order and each stage's attempt, status and end. */
function runState(stages: Record<string, StageFields>): Core.RunState {
  const full: Record<string, unknown> = {};
  for (const [id, stage] of Object.entries(stages))
    full[id] = { id, attempt: 1, status: 'succeeded', endedAt: 10, ...stage };
  return {
    runId: 'r1',
    pipeline: { stages: Object.keys(stages).map((id) => ({ id, needs: [] })) },
    stages: full,
  } as unknown as Core.RunState;
}

describe('SummaryCache', () => {
  let dir: string;
  let cache: SummaryCache;
  const file = (stage: string): string => path.join(dir, 'summary', `${stage}.md`);

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'baton-summary-'));
    await fs.mkdir(path.join(dir, 'summary'));
    cache = new SummaryCache((_runId, stage) => file(stage));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('joins the summaries in stage order and reads none when no stage wrote one', async () => {
    assert.equal(cache.read(runState({ a: {}, b: {} })), undefined);
    await fs.writeFile(file('b'), '# B\n\n');
    await fs.writeFile(file('a'), '# A');
    assert.equal(cache.read(runState({ a: {}, b: {}, c: {} })), '# A\n\n# B\n');
  });

  it('keeps an ended stage’s text until its attempt or status changes, and rereads running stages', async () => {
    await fs.writeFile(file('a'), 'first');
    assert.equal(cache.read(runState({ a: {} })), 'first\n');
    await fs.writeFile(file('a'), 'rewritten behind the cache');
    assert.equal(cache.read(runState({ a: {} })), 'first\n', 'an ended stage is not reread');
    assert.equal(
      cache.read(runState({ a: { attempt: 2, status: 'running', endedAt: undefined } })),
      'rewritten behind the cache\n',
    );
    await fs.writeFile(file('a'), 'second attempt');
    assert.equal(
      cache.read(runState({ a: { attempt: 2, status: 'running', endedAt: undefined } })),
      'second attempt\n',
      'a running stage is read on every request',
    );
    assert.equal(
      cache.read(runState({ a: { attempt: 2, status: 'failed', endedAt: 20 } })),
      'second attempt\n',
    );
  });
});
