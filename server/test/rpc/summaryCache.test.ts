import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as Core from '@baton/core';
import { SummaryCache } from '../../src/rpc/service/summaryCache';
import { drive, lastState, newRun } from '../helpers/coreRun';

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

  it('follows a run state by state: a unit’s summary appears once the unit wrote it, in stage order', async () => {
    const start = newRun(
      'name: M\nconcurrency: 1\nstages:\n  m: { run: "true", matrix: { n: [1, 2, 3] } }\n',
    );
    const running = lastState(
      start,
      drive(start, [
        { type: 'runStarted', at: 10 },
        { type: 'stageStarted', stage: 'm[1]', attempt: 1, pid: 5, at: 11 },
      ]),
    );
    assert.equal(cache.read(running), undefined);
    await fs.writeFile(file('m[1]'), 'one, while running');
    assert.equal(cache.read(running), 'one, while running\n', 'a running unit is read each time');
    const changes = drive(running, [
      { type: 'stageExited', stage: 'm[1]', attempt: 1, exitCode: 0, random: 0, at: 20 },
      { type: 'stageStarted', stage: 'm[2]', attempt: 1, pid: 6, at: 21 },
    ]);
    await fs.writeFile(file('m[1]'), 'one, final');
    await fs.writeFile(file('m[2]'), 'two');
    const later = lastState(running, changes);
    assert.equal(cache.read(later), 'one, final\n\ntwo\n');
    await fs.writeFile(file('m[1]'), 'one, rewritten behind the cache');
    assert.equal(cache.read(later), 'one, final\n\ntwo\n', 'an ended unit is not read again');
  });

  it('reads a run right after other runs were read (its last state let go), still in step', async () => {
    const start = newRun(
      'name: M\nconcurrency: 1\nstages:\n  m: { run: "true", matrix: { n: [1, 2] } }\n',
    );
    const first = lastState(start, drive(start, [{ type: 'runStarted', at: 10 }]));
    assert.equal(cache.read(first), undefined);
    for (let other = 0; other < 6; other++)
      cache.read({ ...runState({ a: {} }), runId: `r${other}` });
    await fs.writeFile(file('m[1]'), 'one');
    const later = lastState(
      first,
      drive(first, [
        { type: 'stageStarted', stage: 'm[1]', attempt: 1, pid: 5, at: 11 },
        { type: 'stageExited', stage: 'm[1]', attempt: 1, exitCode: 0, random: 0, at: 20 },
      ]),
    );
    assert.equal(cache.read(later), 'one\n');
  });
});
