import type { LoggedEvent } from '@baton/core';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { spawn } from 'node:child_process';
import { appendFileSync, promises as fs, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { EventLogIssue } from '../../src/store/eventLog';
import {
  EventLogWriter,
  iterateEventLog,
  readEventLog,
  repairEventLog,
} from '../../src/store/eventLog';
import { StoreError } from '../../src/store/storeError';
import { waitFor } from '../helpers/waitFor';
import { compiledModule, makeTempDir, mountTinyTmpfs, waitForLine } from './helpers';
import { skipOrFailWithout, TMPFS_FIX } from '../helpers/capability';

function event(seq: number, reason = `event ${seq}`): LoggedEvent {
  return { seq, type: 'cancelRequested', at: 1_000 + seq, reason };
}

function lines(...events: LoggedEvent[]): string {
  return events.map((e) => `${JSON.stringify(e)}\n`).join('');
}

describe('event log', () => {
  let dir: string;
  let cleanup: () => void;
  let file: string;
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
    file = path.join(dir, 'events.jsonl');
  });
  afterEach(() => cleanup());

  it('appends events of one tick together, in order, owner-only', async () => {
    const writer = await EventLogWriter.open(file);
    for (let seq = 1; seq <= 100; seq++) writer.append(event(seq));
    await writer.flush();
    writer.append(event(101));
    await writer.close();
    const { events, issues, lastSeq } = await readEventLog(file);
    assert.deepEqual(issues, []);
    assert.deepEqual(
      events.map((e) => e.seq),
      Array.from({ length: 101 }, (_, i) => i + 1),
    );
    assert.equal(lastSeq, 101);
    assert.equal((await fs.stat(file)).mode & 0o777, 0o600);
  });

  it('writes appends made after the last flush on the next tick, without a flush', async () => {
    const writer = await EventLogWriter.open(file);
    writer.append(event(1));
    await waitFor('the event on disk', async () => (await readEventLog(file)).events.length === 1);
    // A later tick's append is written on its own too, not only the first one.
    writer.append(event(2));
    await waitFor('the second event on disk', async () => {
      return (await readEventLog(file)).events.length === 2;
    });
    await writer.close();
  });

  it('refuses an event whose seq does not follow the last one', async () => {
    const writer = await EventLogWriter.open(file, { lastSeq: 4 });
    assert.throws(() => writer.append(event(4)), /seq 4 does not follow the last seq 4/);
    writer.append(event(5));
    assert.throws(() => writer.append(event(5)), RangeError);
    await writer.close();
    assert.deepEqual(
      (await readEventLog(file)).events.map((e) => e.seq),
      [5],
    );
  });

  it('serialises an event when it is appended, not when it is written', async () => {
    const writer = await EventLogWriter.open(file);
    const mutable = { ...event(1) } as { reason: string } & LoggedEvent;
    writer.append(mutable);
    mutable.reason = 'changed later';
    await writer.close();
    const [read] = (await readEventLog(file)).events;
    assert.equal((read as { reason?: string } | undefined)?.reason, 'event 1');
  });

  it('ignores and reports a torn last line, and repair cuts exactly that', async () => {
    const intact = lines(event(1), event(2));
    writeFileSync(file, `${intact}{"seq":3,"type":"canc`);
    const { events, issues } = await readEventLog(file);
    assert.deepEqual(
      events.map((e) => e.seq),
      [1, 2],
    );
    assert.equal(issues.length, 1);
    assert.equal(issues[0]?.kind, 'torn');
    assert.equal(issues[0]?.line, 3);
    assert.equal(await repairEventLog(file), '{"seq":3,"type":"canc'.length);
    assert.equal(await fs.readFile(file, 'utf8'), intact);
    assert.equal(await repairEventLog(file), 0);
  });

  it('cuts a torn tail before appending again, so no line is glued to it', async () => {
    writeFileSync(file, `${lines(event(1))}{"seq":2,"ty`);
    const writer = await EventLogWriter.open(file);
    writer.append(event(2));
    await writer.close();
    const { events, issues } = await readEventLog(file);
    assert.deepEqual(issues, []);
    assert.deepEqual(
      events.map((e) => e.seq),
      [1, 2],
    );
  });

  it('skips garbage and out-of-order lines, reporting their line numbers', async () => {
    writeFileSync(
      file,
      `${lines(event(1))}not json at all\n[1,2]\n{"seq":"x","type":"a","at":1}\n\n${lines(event(2), event(2), event(1), event(3))}`,
    );
    const { events, issues } = await readEventLog(file);
    assert.deepEqual(
      events.map((e) => e.seq),
      [1, 2, 3],
    );
    assert.deepEqual(
      issues.map((i) => [i.line, i.kind]),
      [
        [2, 'garbage'],
        [3, 'garbage'],
        [4, 'garbage'],
        [7, 'outOfOrder'],
        [8, 'outOfOrder'],
      ],
    );
    assert.match(issues[0]?.message ?? '', /line 2 is not valid JSON: not json at all/);
  });

  it('says what is wrong with each skipped line, quoting at most 80 characters of it', async () => {
    const long = `{"seq":0,"type":"a","at":1,"pad":"${'p'.repeat(100)}"}`;
    writeFileSync(
      file,
      [
        'null',
        '42',
        '[1,2]',
        '   ',
        '{"seq":1.5,"type":"a","at":1}',
        '{"type":"a","at":1}',
        '{"seq":1,"type":2,"at":1}',
        '{"seq":1,"type":"a"}',
        long,
        `${'x'.repeat(80)}`,
        `${'x'.repeat(81)}`,
        '{"seq":1,"type":"a","at":1}',
        '{"seq":1,"type":"a","at":2}',
      ].join('\n') + '\n{"seq":2,',
    );
    const { issues, lastSeq } = await readEventLog(file);
    assert.deepEqual(
      issues.map((i) => i.message),
      [
        'line 1 is not an event (not a JSON object): null',
        'line 2 is not an event (not a JSON object): 42',
        'line 3 is not an event (not a JSON object): [1,2]',
        'line 5 is not an event (missing or invalid "seq"): {"seq":1.5,"type":"a","at":1}',
        'line 6 is not an event (missing or invalid "seq"): {"type":"a","at":1}',
        'line 7 is not an event (missing or invalid "type"): {"seq":1,"type":2,"at":1}',
        'line 8 is not an event (missing or invalid "at"): {"seq":1,"type":"a"}',
        `line 9 is not an event (missing or invalid "seq"): ${long.slice(0, 77)}...`,
        `line 10 is not valid JSON: ${'x'.repeat(80)}`,
        `line 11 is not valid JSON: ${'x'.repeat(77)}...`,
        'line 13 has seq 1, not after 1; skipped',
        'line 14 is incomplete (9 bytes without a newline, probably cut by a crash) and was ignored',
      ],
    );
    assert.equal(lastSeq, 1);
  });

  it('skips a line longer than the limit and reads on after it', async () => {
    const huge = 'x'.repeat(17 * 1024 * 1024);
    writeFileSync(file, `${huge}\n${lines(event(1))}`);
    const { events, issues } = await readEventLog(file);
    assert.deepEqual(
      events.map((e) => e.seq),
      [1],
    );
    assert.deepEqual(issues, [
      {
        line: 1,
        kind: 'oversized',
        message: `line 1 is too long (${huge.length} bytes) and was skipped`,
      },
    ]);
  });

  it('repairs a torn tail longer than one read chunk, and a log with no newline at all', async () => {
    const tail = 'y'.repeat(150 * 1024);
    writeFileSync(file, `${lines(event(1))}${tail}`);
    assert.equal(await repairEventLog(file), tail.length);
    assert.equal(await fs.readFile(file, 'utf8'), lines(event(1)));
    const body = 'z'.repeat(70 * 1024);
    writeFileSync(file, `${body}\n${tail}`);
    assert.equal(await repairEventLog(file), tail.length);
    assert.equal((await fs.stat(file)).size, body.length + 1);
    writeFileSync(file, tail);
    assert.equal(await repairEventLog(file), tail.length);
    assert.equal((await fs.stat(file)).size, 0);
    assert.equal(await repairEventLog(path.join(dir, 'none.jsonl')), 0);
  });

  it('says which log it could not read or repair, and why', async () => {
    await assert.rejects(readEventLog(dir), (error: unknown) => {
      assert.ok(error instanceof StoreError);
      assert.match(error.message, new RegExp(` while reading ${dir}$`));
      return true;
    });
    await assert.rejects(repairEventLog(dir), (error: unknown) => {
      assert.ok(error instanceof StoreError);
      assert.match(error.message, new RegExp(` while repairing ${dir}$`));
      return true;
    });
  });

  it('closes the file it repaired, torn or clean (no descriptor left open)', async () => {
    const openOnFile = async () => {
      const fds = await fs.readdir('/proc/self/fd');
      const targets = await Promise.all(
        fds.map((fd) => fs.readlink(`/proc/self/fd/${fd}`).catch(() => '')),
      );
      return targets.filter((target) => target === file).length;
    };
    writeFileSync(file, `${lines(event(1))}{"seq":2,"ty`);
    assert.equal(await repairEventLog(file), '{"seq":2,"ty'.length);
    assert.equal(await repairEventLog(file), 0);
    assert.equal(await openOnFile(), 0);
  });

  it('refuses appends after close and a seq that is not a whole number', async () => {
    const writer = await EventLogWriter.open(file);
    assert.throws(() => writer.append(event(1.5)), RangeError);
    writer.append(event(1));
    assert.equal(writer.pendingBytes, lines(event(1)).length);
    await writer.close();
    assert.equal(writer.pendingBytes, 0);
    assert.throws(() => writer.append(event(2)), /event log .*events\.jsonl is closed/);
    await writer.close();
    assert.deepEqual(
      (await readEventLog(file)).events.map((e) => e.seq),
      [1],
    );
  });

  it('never throws on arbitrary bytes, and keeps every valid event before them', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (junk) => {
        writeFileSync(file, Buffer.concat([Buffer.from(lines(event(1), event(2))), junk]));
        const { events } = await readEventLog(file);
        assert.deepEqual(
          events.slice(0, 2).map((e) => e.seq),
          [1, 2],
        );
        await repairEventLog(file);
        const repaired = await readEventLog(file);
        assert.ok(
          repaired.issues.every((i) => i.kind !== 'torn'),
          'no torn tail after repair',
        );
      }),
      { numRuns: 200 },
    );
  });

  it('returns only events after a sequence number, and nothing for a missing log', async () => {
    writeFileSync(file, lines(event(1), event(2), event(3)));
    assert.deepEqual(
      (await readEventLog(file, 2)).events.map((e) => e.seq),
      [3],
    );
    assert.equal((await readEventLog(file, 2)).lastSeq, 3);
    assert.deepEqual(await readEventLog(file, 5), { events: [], issues: [], lastSeq: 5 });
    const missing = await readEventLog(path.join(dir, 'none.jsonl'));
    assert.deepEqual(missing, { events: [], issues: [], lastSeq: 0 });
  });

  it('streams a large log with lines spanning read chunks', async () => {
    const count = 30_000;
    let text = '';
    for (let seq = 1; seq <= count; seq++) {
      text += `${JSON.stringify(event(seq, 'é'.repeat(seq % 50)))}\n`;
    }
    writeFileSync(file, text);
    const { events, issues } = await readEventLog(file);
    assert.deepEqual(issues, []);
    assert.equal(events.length, count);
    assert.ok(events.every((e, i) => e.seq === i + 1));
  });

  it('reads the same events and issues as the line-by-line stream, across chunks', async () => {
    let text = '';
    for (let seq = 1; seq <= 8_000; seq++) {
      text += `${JSON.stringify(event(seq, 'x'.repeat(seq % 40)))}\n`;
      if (seq % 997 === 0) text += 'garbage\n';
      if (seq % 1_501 === 0) text += `${JSON.stringify(event(seq - 3))}\n`;
    }
    writeFileSync(file, `${text}{"seq":8001,"ty`);
    for (const afterSeq of [0, 4_000, 7_999, 9_000]) {
      const streamed = { events: [] as LoggedEvent[], issues: [] as EventLogIssue[] };
      for await (const item of iterateEventLog(file, afterSeq)) {
        if (item.kind === 'event') streamed.events.push(item.event);
        else streamed.issues.push(item.issue);
      }
      const read = await readEventLog(file, afterSeq);
      assert.deepEqual(read.events, streamed.events);
      assert.deepEqual(read.issues, streamed.issues);
      assert.equal(read.events[0]?.seq, afterSeq < 8_000 ? afterSeq + 1 : undefined);
      assert.equal(read.issues.filter((i) => i.kind === 'garbage').length, 8);
      assert.equal(read.issues.filter((i) => i.kind === 'outOfOrder').length, 5);
      assert.equal(read.issues.filter((i) => i.kind === 'torn').length, 1);
    }
  });

  it('leaves a readable prefix when the writer is killed mid-append (kill -9)', async () => {
    const script = `
      const { EventLogWriter } = require(process.argv[1]);
      EventLogWriter.open(process.argv[2]).then(async (w) => {
        for (let seq = 1; ; seq++) {
          w.append({ seq, type: 'cancelRequested', at: seq, reason: 'x'.repeat(seq % 300) });
          if (seq % 50 === 0) { await w.flush(); if (seq === 500) console.log('going'); }
        }
      });`;
    const child = spawn(
      process.execPath,
      ['-e', script, compiledModule('store/eventLog.js'), file],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await waitForLine(child, (line) => line === 'going', 'the writer to pass 500 events');
    child.kill('SIGKILL');
    await exited;
    const { events, issues } = await readEventLog(file);
    assert.ok(events.length >= 500);
    assert.ok(
      events.every((e, i) => e.seq === i + 1),
      'events are a gap-free prefix',
    );
    assert.ok(
      issues.every((i) => i.kind === 'torn'),
      JSON.stringify(issues),
    );
    const writer = await EventLogWriter.open(file);
    const next = events.length + 1;
    writer.append(event(next));
    await writer.close();
    const after = await readEventLog(file);
    assert.deepEqual(after.issues, []);
    assert.equal(after.lastSeq, next);
  });

  describe('on a full file system (tmpfs)', () => {
    let mount: { dir: string; unmount: () => void } | undefined;
    before(function () {
      mount = mountTinyTmpfs(64);
      if (mount === undefined) {
        skipOrFailWithout(this, 'mount -t tmpfs for the disk-full tests', TMPFS_FIX);
      }
    });
    after(() => mount?.unmount());

    it('rolls a failed write back to whole lines and writes it once space is back', async () => {
      const log = path.join(mount?.dir ?? '', 'events.jsonl');
      const filler = path.join(mount?.dir ?? '', 'filler');
      const errors: StoreError[] = [];
      const writer = await EventLogWriter.open(log, { onError: (e) => errors.push(e) });
      writer.append(event(1));
      await writer.flush({ sync: true });
      // Leave about 8 KiB free, then append 40 KiB of events.
      appendFileSync(filler, Buffer.alloc(48 * 1024));
      for (let seq = 2; seq <= 11; seq++) writer.append(event(seq, 'x'.repeat(4000)));
      await assert.rejects(writer.flush(), (error: unknown) => {
        assert.ok(error instanceof StoreError);
        assert.equal(error.code, 'ENOSPC');
        assert.match(error.message, /no space left on device while appending to .*events\.jsonl/);
        return true;
      });
      assert.ok(errors.length >= 1);
      const during = await readEventLog(log);
      assert.deepEqual(during.issues, [], 'no half-written line is left behind');
      await fs.rm(filler);
      await writer.close();
      const after = await readEventLog(log);
      assert.deepEqual(after.issues, []);
      assert.deepEqual(
        after.events.map((e) => e.seq),
        Array.from({ length: 11 }, (_, i) => i + 1),
      );
    });
  });
});
