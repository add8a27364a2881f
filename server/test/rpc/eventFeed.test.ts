import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as Core from '@baton/core';
import { EventFeed } from '../../src/rpc/service/eventFeed';
import { FeedJournal } from '../../src/rpc/service/feedJournal';

function runState(
  status: Core.RunStatus,
  stageStatus: Core.StageStatus,
  seq: number,
): Core.RunState {
  return {
    runId: 'r1',
    pipeline: {
      id: 'p',
      file: '/w/p.pipeline.yaml',
      name: 'P',
      inputs: [],
      env: {},
      secretEnv: [],
      stages: [],
    },
    status,
    seq,
    createdAt: 1,
    interactive: true,
    concurrency: 1,
    inputs: {},
    answers: {},
    stages: {
      a: { id: 'a', status: stageStatus, attempt: 1, maxAttempts: 1, outputs: {} },
    },
    prompts: {},
  } as unknown as Core.RunState;
}

describe('EventFeed', () => {
  it('turns run changes into ordered events and notifications with the global seq', async () => {
    const sent: { method: string; seq: number }[] = [];
    const feed = new EventFeed(
      (method, params) => sent.push({ method, seq: (params as { seq: number }).seq }),
      () => true,
    );
    feed.observeRun(runState('running', 'running', 1), 10);
    feed.observeRun(runState('succeeded', 'succeeded', 2), 20);
    const { events, lastSeq, hasMore, firstSeq } = await feed.getEvents({ afterSeq: 0 });
    assert.deepEqual(
      events.map((e) => [e.seq, e.kind]),
      [
        [1, 'runCreated'],
        [2, 'stageStatusChanged'],
        [3, 'runStatusChanged'],
        [4, 'stageStatusChanged'],
        [5, 'runStatusChanged'],
      ],
    );
    assert.deepEqual([lastSeq, hasMore, firstSeq], [5, false, 1]);
    assert.deepEqual(sent, [
      { method: 'baton/didChangeRun', seq: 3 },
      { method: 'baton/didChangeRun', seq: 5 },
    ]);
    assert.deepEqual(
      (await feed.getEvents({ afterSeq: 2, limit: 2 })).events.map((e) => e.seq),
      [3, 4],
    );
    assert.equal((await feed.getEvents({ afterSeq: 2, limit: 2 })).hasMore, true);
    assert.deepEqual(
      feed.recent('r1', 2).map((e) => e.seq),
      [4, 5],
    );
  });

  it('without a journal, keeps only the newest events and says where its memory starts', async () => {
    const feed = new EventFeed(
      () => undefined,
      () => true,
      10,
    );
    for (let i = 0; i < 20; i++) {
      feed.observeRun(runState('running', i % 2 === 0 ? 'running' : 'waiting', i + 1), i);
    }
    const result = await feed.getEvents({ afterSeq: 0, limit: 100 });
    assert.ok(result.events.length <= 12);
    assert.equal(result.firstSeq, result.events[0]?.seq);
    assert.equal(result.events.at(-1)?.seq, result.lastSeq);
    assert.ok(result.firstSeq > 1, 'old events were dropped');
  });

  it('reports a hang diagnosis recorded on a stage (from any run log) once, with its open prompt', async () => {
    const feed = new EventFeed(
      () => undefined,
      () => false,
    );
    const running = runState('running', 'running', 1);
    const diagnosis: Core.StageDiagnosis = {
      idleMs: 5000,
      lastLines: ['working…'],
      processes: [
        { pid: 10, ppid: 1, state: 'S', command: 'sleep 99', cpuSeconds: 0.5, rssKb: 900 },
      ],
      openPrompt: 'a/go',
    };
    const prompt = {
      id: 'a/go',
      kind: 'stage',
      stage: 'a',
      attempt: 1,
      message: 'Go?',
      type: 'confirm',
      openedAt: 3,
    };
    const diagnosed = {
      ...running,
      prompts: { 'a/go': prompt },
      stages: { a: { ...running.stages.a, lastDiagnosis: diagnosis } },
    } as unknown as Core.RunState;
    feed.observeRun(running, 1);
    feed.observeRun(diagnosed, 2);
    feed.observeRun({ ...diagnosed, seq: 3 }, 3);
    const events = (await feed.getEvents({ afterSeq: 0 })).events;
    const found = events.filter((e) => e.kind === 'stageDiagnosed');
    assert.equal(found.length, 1);
    assert.deepEqual(found[0]?.kind === 'stageDiagnosed' && found[0].diagnosis, {
      lastLines: ['working…'],
      processes: [
        { pid: 10, ppid: 1, command: 'sleep 99', cpuSeconds: 0.5, rssKb: 900, state: 'S' },
      ],
      openPrompt: {
        runId: 'r1',
        promptId: 'a/go',
        stage: 'a',
        attempt: 1,
        message: 'Go?',
        type: 'confirm',
        openedAt: 3,
      },
      idleMs: 5000,
    });
  });

  describe('with a journal on disk', () => {
    let dir: string;
    let feed: EventFeed;

    beforeEach(async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'baton-feed-test-'));
      feed = new EventFeed(
        () => undefined,
        () => true,
        8,
        await FeedJournal.create(dir),
      );
    });
    afterEach(async () => {
      await feed.dispose();
      await fs.rm(dir, { recursive: true, force: true });
    });

    /** 200 changes of two runs, interleaved: far more events than the ring of 8 holds. */
    function flood(): void {
      for (let i = 0; i < 200; i++) {
        const state = runState('running', i % 2 === 0 ? 'running' : 'waiting', i + 1);
        feed.observeRun({ ...state, runId: i % 4 < 2 ? 'r1' : 'r2' }, i);
      }
    }

    it('returns every event from 0 in order, from the journal and then the ring', async () => {
      flood();
      const result = await feed.getEvents({ afterSeq: 0, limit: 10_000 });
      assert.deepEqual(
        result.events.map((e) => e.seq),
        Array.from({ length: result.lastSeq }, (_, i) => i + 1),
      );
      assert.equal(result.firstSeq, 1);
      assert.equal(result.hasMore, false);
      assert.ok(result.lastSeq > 100, `${result.lastSeq} events`);
    });

    it('keeps its journal bounded: past the size it starts again and firstSeq says so', async () => {
      await feed.dispose();
      feed = new EventFeed(
        () => undefined,
        () => true,
        8,
        await FeedJournal.create(dir, 2000),
      );
      flood();
      const result = await feed.getEvents({ afterSeq: 0, limit: 10_000 });
      assert.ok(result.firstSeq > 1, `firstSeq ${result.firstSeq}`);
      assert.deepEqual(
        result.events.map((e) => e.seq),
        Array.from({ length: result.lastSeq - result.firstSeq + 1 }, (_, i) => i + result.firstSeq),
      );
      const [folder] = await fs.readdir(dir);
      const size = (await fs.stat(path.join(dir, folder ?? '', 'events.jsonl'))).size;
      assert.ok(size <= 2000, `journal of ${size} bytes`);
    });

    it('removes the journal a killed server left behind, and keeps a live one', async () => {
      const dead = spawnSync(process.execPath, ['-e', 'process.pid']).pid ?? 0;
      await fs.mkdir(path.join(dir, `baton-feed-${dead}-abc`));
      await fs.mkdir(path.join(dir, `baton-feed-${process.pid}-live`));
      const other = await FeedJournal.create(dir);
      const names = await fs.readdir(dir);
      await other.dispose();
      assert.ok(!names.includes(`baton-feed-${dead}-abc`), names.join(', '));
      assert.ok(names.includes(`baton-feed-${process.pid}-live`));
    });

    it('pages through old events of one run with limit and hasMore, missing none', async () => {
      flood();
      const all = (await feed.getEvents({ afterSeq: 0, limit: 10_000 })).events;
      const expected = all.filter((e) => e.runId === 'r2').map((e) => e.seq);
      const paged: number[] = [];
      let after = 0;
      for (;;) {
        const page = await feed.getEvents({ afterSeq: after, runId: 'r2', limit: 7 });
        paged.push(...page.events.map((e) => e.seq));
        if (!page.hasMore) break;
        after = page.events.at(-1)?.seq ?? after;
      }
      assert.deepEqual(paged, expected);
      const fromMiddle = await feed.getEvents({ afterSeq: 50, limit: 10_000 });
      assert.equal(fromMiddle.events[0]?.seq, 51);
    });
  });
});
