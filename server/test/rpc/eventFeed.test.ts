import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as Core from '@baton/core';
import type * as P from '@baton/protocol';
import type { RunChange } from '../../src/engine/engineEvents';
import { EventFeed } from '../../src/rpc/service/eventFeed';
import { FeedJournal } from '../../src/rpc/service/feedJournal';
import { drive, newRun } from '../helpers/coreRun';

const TWO_STAGES = 'name: Demo\nstages:\n  a: { run: "true" }\n  b: { run: "true", needs: [a] }\n';

/** A run of TWO_STAGES from start to success, one change per run event. */
function successfulRun(runId?: string): RunChange[] {
  return drive(newRun(TWO_STAGES, runId), [
    { type: 'runStarted', at: 10 },
    { type: 'stageStarted', stage: 'a', attempt: 1, pid: 5, at: 11 },
    { type: 'stageExited', stage: 'a', attempt: 1, exitCode: 0, random: 0, at: 20 },
    { type: 'stageStarted', stage: 'b', attempt: 1, pid: 6, at: 21 },
    { type: 'stageExited', stage: 'b', attempt: 1, exitCode: 0, random: 0, at: 30 },
  ]);
}

/** A started run whose stage `a` reports progress `count` times. */
function progressingRun(runId: string, count: number): RunChange[] {
  const events: Core.RunEvent[] = [
    { type: 'runStarted', at: 10 },
    { type: 'stageStarted', stage: 'a', attempt: 1, pid: 5, at: 11 },
  ];
  for (let i = 0; i < count; i++) {
    events.push({
      type: 'stageProgress',
      stage: 'a',
      attempt: 1,
      progress: { value: i },
      at: 12 + i,
    });
  }
  return drive(newRun(TWO_STAGES, runId), events);
}

describe('EventFeed', () => {
  it('lets go of a stopped run’s state, and never tells the run’s creation twice', () => {
    const sent: P.DidChangeRunParams[] = [];
    const feed = new EventFeed(
      (_method, params) => sent.push(params as P.DidChangeRunParams),
      () => true,
    );
    const changes = successfulRun();
    const running = changes.slice(0, 2);
    feed.applyChanges(running.at(-1)!.after, running);
    assert.equal(feed.runState(running[0]!.after.runId), running.at(-1)!.after);
    const rest = changes.slice(2);
    const ended = rest.at(-1)!.after;
    feed.applyChanges(ended, rest);
    feed.flush();
    assert.equal(ended.status, 'succeeded');
    assert.equal(feed.runState(ended.runId), undefined, 'a stopped run is not kept');
    // The run is heard of again (introduced from disk, or changed by a resume): no second runCreated.
    feed.introduceRun(ended);
    feed.applyChanges(ended, []);
    feed.flush();
    const created = sent.flatMap((p) => p.events).filter((e) => e.kind === 'runCreated');
    assert.equal(created.length, 1);
  });

  it('sends one didChangeRun per turn of run events, each with its own seq and the events of getEvents', async () => {
    const sent: { method: string; params: P.DidChangeRunParams }[] = [];
    const feed = new EventFeed(
      (method, params) => sent.push({ method, params: params as P.DidChangeRunParams }),
      () => true,
    );
    for (const change of successfulRun()) {
      feed.applyChanges(change.after, [change]);
      // Each change in a turn of its own.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const { events, lastSeq, hasMore, firstSeq } = await feed.getEvents({ afterSeq: 0 });
    assert.deepEqual(
      events.map((e) => [e.seq, e.kind, e.time]),
      [
        [1, 'runCreated', 1],
        [2, 'stageStatusChanged', 10],
        [3, 'runStatusChanged', 10],
        [4, 'stageStatusChanged', 20],
        [5, 'stageStatusChanged', 20],
        [6, 'stageStatusChanged', 30],
        [7, 'runStatusChanged', 30],
      ],
    );
    assert.deepEqual([lastSeq, hasMore, firstSeq], [7, false, 1]);
    assert.deepEqual(
      sent.map(({ method, params }) => [method, params.seq, params.events.map((e) => e.seq)]),
      [
        ['baton/didChangeRun', 3, [1, 2, 3]],
        ['baton/didChangeRun', 5, [4, 5]],
        ['baton/didChangeRun', 7, [6, 7]],
      ],
    );
    assert.deepEqual(
      sent.flatMap(({ params }) => params.events),
      events,
    );
    assert.deepEqual(
      (await feed.getEvents({ afterSeq: 2, limit: 2 })).events.map((e) => e.seq),
      [3, 4],
    );
    assert.equal((await feed.getEvents({ afterSeq: 2, limit: 2 })).hasMore, true);
    assert.deepEqual(
      feed.recent(newRun(TWO_STAGES).runId, 2).map((e) => e.seq),
      [6, 7],
    );
  });

  it('never gives two didChangeRun the same seq, also when several run events come at once', () => {
    const seqs: number[] = [];
    const feed = new EventFeed(
      (method, params) => {
        if (method === 'baton/didChangeRun') seqs.push((params as P.DidChangeRunParams).seq);
      },
      () => true,
    );
    const changes = successfulRun();
    feed.applyChanges(changes[0]!.after, changes.slice(0, 1));
    feed.flush();
    feed.applyChanges(changes.at(-1)!.after, changes.slice(1));
    feed.flush();
    assert.deepEqual(
      seqs,
      [...new Set(seqs)].sort((x, y) => x - y),
    );
    assert.equal(seqs.length, 2);
  });

  it("gathers one run's changes of a turn into one didChangeRun, each stage once, in seq order across runs", async () => {
    const sent: P.DidChangeRunParams[] = [];
    const feed = new EventFeed(
      (method, params) => {
        if (method === 'baton/didChangeRun') sent.push(params as P.DidChangeRunParams);
      },
      () => true,
    );
    const first = successfulRun('20260101-000000-000-aaaa');
    const second = successfulRun('20260101-000000-000-bbbb');
    for (const change of first.slice(0, 3)) feed.applyChanges(change.after, [change]);
    // Another run's change sends what the first gathered, so seqs never go back.
    feed.applyChanges(second[0]!.after, [second[0]!]);
    for (const change of first.slice(3)) feed.applyChanges(change.after, [change]);
    assert.equal(sent.length, 2, 'sent when the other run changed');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(
      sent.map((change) => [change.run.runId.slice(-4), change.events.length]),
      [
        ['aaaa', 5],
        ['bbbb', 3],
        ['aaaa', 2],
      ],
    );
    const seqs = sent.map((change) => change.seq);
    assert.deepEqual(
      seqs,
      [...seqs].sort((x, y) => x - y),
    );
    const gathered = sent[0]!;
    assert.deepEqual(
      gathered.stages.map((stage) => [stage.id, stage.status]),
      [
        ['a', 'succeeded'],
        ['b', 'running'],
      ],
      'each touched stage once, as the last change left it',
    );
    assert.equal(gathered.run.status, 'running');
  });

  it('without a journal, keeps only the newest events and says where its memory starts', async () => {
    const feed = new EventFeed(
      () => undefined,
      () => true,
      10,
    );
    for (const change of progressingRun('20260101-000000-000-abcd', 20)) {
      feed.applyChanges(change.after, [change]);
    }
    const result = await feed.getEvents({ afterSeq: 0, limit: 100 });
    assert.ok(result.events.length <= 12);
    assert.equal(result.firstSeq, result.events[0]?.seq);
    assert.equal(result.events.at(-1)?.seq, result.lastSeq);
    assert.ok(result.firstSeq > 1, 'old events were dropped');
  });

  it('remembers as many closed prompts as events it keeps, the latest ones', () => {
    const feed = new EventFeed(
      () => undefined,
      () => true,
      2,
    );
    const events: Core.RunEvent[] = [
      { type: 'runStarted', at: 1 },
      { type: 'stageStarted', stage: 'a', attempt: 1, pid: 5, at: 2 },
    ];
    for (const [index, name] of ['one', 'two', 'three'].entries()) {
      const at = 3 + index * 2;
      events.push(
        {
          type: 'promptOpened',
          promptId: name,
          stage: 'a',
          attempt: 1,
          message: `${name}?`,
          promptType: 'confirm',
          at,
        },
        { type: 'promptAnswered', promptId: `a/${name}`, value: true, by: 'rpc', at: at + 1 },
      );
    }
    const changes = drive(newRun(TWO_STAGES), events);
    for (const change of changes) feed.applyChanges(change.after, [change]);
    const runId = changes[0]!.after.runId;
    assert.equal(feed.wasClosed(runId, 'a/one'), false, 'the oldest closed prompt is forgotten');
    assert.equal(feed.wasClosed(runId, 'a/two'), true);
    assert.equal(feed.wasClosed(runId, 'a/three'), true);
    assert.equal(feed.wasClosed('another-run', 'a/three'), false);
  });

  it('reports a hang diagnosis of a run event once, with its open prompt', async () => {
    const feed = new EventFeed(
      () => undefined,
      () => false,
    );
    const diagnosis: Core.StageDiagnosis = {
      idleMs: 5000,
      lastLines: ['working…'],
      processes: [
        { pid: 10, ppid: 1, state: 'S', command: 'sleep 99', cpuSeconds: 0.5, rssKb: 900 },
      ],
      openPrompt: 'a/go',
    };
    const changes = drive(newRun(TWO_STAGES), [
      { type: 'runStarted', at: 1 },
      { type: 'stageStarted', stage: 'a', attempt: 1, pid: 5, at: 2 },
      {
        type: 'promptOpened',
        promptId: 'go',
        stage: 'a',
        attempt: 1,
        message: 'Go?',
        promptType: 'confirm',
        at: 3,
      },
      { type: 'stageDiagnosed', stage: 'a', attempt: 1, diagnosis, at: 4 },
      { type: 'stageProgress', stage: 'a', attempt: 1, progress: { percent: 1 }, at: 5 },
    ]);
    for (const change of changes) feed.applyChanges(change.after, [change]);
    const events = (await feed.getEvents({ afterSeq: 0 })).events;
    const found = events.filter((e) => e.kind === 'stageDiagnosed');
    assert.equal(found.length, 1);
    assert.deepEqual(found[0]?.kind === 'stageDiagnosed' && found[0].diagnosis, {
      lastLines: ['working…'],
      processes: [
        { pid: 10, ppid: 1, command: 'sleep 99', cpuSeconds: 0.5, rssKb: 900, state: 'S' },
      ],
      openPrompt: {
        runId: '20260101-000000-000-abcd',
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
      const r1 = progressingRun('20260101-000000-000-aaaa', 100);
      const r2 = progressingRun('20260101-000000-000-bbbb', 100);
      for (let i = 0; i < 100; i++) {
        for (const change of [r1[i], r2[i]]) if (change) feed.applyChanges(change.after, [change]);
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
      const expected = all.filter((e) => e.runId === '20260101-000000-000-bbbb').map((e) => e.seq);
      const paged: number[] = [];
      let after = 0;
      for (;;) {
        const page = await feed.getEvents({
          afterSeq: after,
          runId: '20260101-000000-000-bbbb',
          limit: 7,
        });
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
