import * as assert from 'node:assert/strict';
import type * as P from '@baton/protocol';
import type { LiveLogLimits } from '../../src/rpc/service/liveLogBudget';
import { LogCoalescer, MAX_BACKLOG_BYTES } from '../../src/rpc/service/logCoalescer';
import type { MessagePacing } from '../../src/rpc/service/messagePacer';

type Sent = Omit<P.DidAppendLogParams, 'seq'>;

function recorder(): { sent: Sent[]; backlog: { bytes: number }; coalescer: LogCoalescer } {
  const sent: Sent[] = [];
  const backlog = { bytes: 0 };
  const coalescer = new LogCoalescer(
    { send: (p) => sent.push(p), backlog: () => backlog.bytes },
    { pacing: { intervalMs: 5, burstMessages: 10, messagesPerSecond: 40 } },
  );
  return { sent, backlog, coalescer };
}

/** A coalescer on a clock that only the test moves. */
function paced(pacing: MessagePacing): {
  sent: Sent[];
  clock: { now: number };
  coalescer: LogCoalescer;
} {
  const sent: Sent[] = [];
  const clock = { now: 1_000_000 };
  const coalescer = new LogCoalescer(
    { send: (p) => sent.push(p), backlog: () => 0 },
    { pacing, now: () => clock.now },
  );
  return { sent, clock, coalescer };
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

async function waitFor(predicate: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('LogCoalescer', () => {
  it('sends many lines of one stage as one message, with byte offsets that add up', async () => {
    const { sent, coalescer } = recorder();
    for (let i = 0; i < 100; i++) coalescer.append('r', 's', 1, `line ${i} é\n`);
    coalescer.append('r', 't', 1, 'other\n');
    await waitFor(() => sent.length === 2, 'two messages');
    const s = sent.find((m) => m.stage === 's');
    assert.equal(s?.text.split('\n').length, 101);
    assert.equal(s?.offset, 0);
    coalescer.append('r', 's', 1, 'more\n');
    coalescer.flush();
    assert.equal(sent.at(-1)?.offset, Buffer.byteLength(s?.text ?? '', 'utf8'));
  });

  it('starts at the given file offset for output tailed part-way through a log', () => {
    const { sent, coalescer } = recorder();
    coalescer.append('r', 's', 2, 'tail\n', 4096);
    coalescer.flush();
    assert.deepEqual(sent, [{ runId: 'r', stage: 's', attempt: 2, text: 'tail\n', offset: 4096 }]);
  });

  it('holds text back while the client is behind, then drops the oldest and moves the offset', async () => {
    const { sent, backlog, coalescer } = recorder();
    backlog.bytes = MAX_BACKLOG_BYTES;
    const chunk = `${'x'.repeat(1023)}\n`;
    for (let i = 0; i < 3000; i++) coalescer.append('r', 's', 1, chunk);
    coalescer.flush();
    assert.equal(sent.length, 0);
    backlog.bytes = 0;
    await waitFor(() => sent.length > 0, 'the held text');
    coalescer.dispose();
    const total = sent.reduce((sum, m) => sum + m.text.length, 0);
    assert.ok(total <= 1024 * 1024, `held ${total} bytes`);
    const last = sent.at(-1);
    assert.equal(
      (last?.offset ?? 0) + (last?.text.length ?? 0),
      3000 * 1024,
      'offsets account for dropped text',
    );
  });

  it('sends sparse output on the next turn each time, without waiting for the interval', async () => {
    const { sent, coalescer } = paced({
      intervalMs: 60_000,
      burstMessages: 3,
      messagesPerSecond: 1,
    });
    coalescer.append('r', 's', 1, 'first\n');
    coalescer.append('r', 's', 1, 'same turn\n');
    await waitFor(() => sent.length === 1, 'the first output');
    coalescer.append('r', 's', 1, 'second\n');
    await waitFor(() => sent.length === 2, 'output within the interval');
    coalescer.append('r', 's', 1, 'third\n');
    await waitFor(() => sent.length === 3, 'more output within the interval');
    coalescer.dispose();
    assert.deepEqual(
      sent.map((m) => [m.text, m.offset]),
      [
        ['first\nsame turn\n', 0],
        ['second\n', 16],
        ['third\n', 23],
      ],
    );
  });

  it('holds output once the allowance is spent, until the interval or the allowance comes back', async () => {
    const { sent, clock, coalescer } = paced({
      intervalMs: 60_000,
      burstMessages: 2,
      messagesPerSecond: 1,
    });
    for (const text of ['a\n', 'b\n']) {
      coalescer.append('r', 's', 1, text);
      await waitFor(() => sent.at(-1)?.text === text, text);
    }
    coalescer.append('r', 's', 1, 'held\n');
    coalescer.append('r', 's', 1, 'with it\n');
    for (let turn = 0; turn < 5; turn++) await nextTurn();
    assert.equal(sent.length, 2, 'a third send waits: the allowance is spent');
    coalescer.flush();
    assert.equal(sent.at(-1)?.text, 'held\nwith it\n');
    clock.now += 1000;
    coalescer.append('r', 's', 1, 'a second later\n');
    await waitFor(() => sent.length === 4, 'a message of the allowance earned back');
    coalescer.dispose();
    assertPiecesOf('a\nb\nheld\nwith it\na second later\n', sent);
  });

  it('counts one message per stage of a send against the allowance', async () => {
    const { sent, coalescer } = paced({
      intervalMs: 60_000,
      burstMessages: 3,
      messagesPerSecond: 1,
    });
    for (const stage of ['a', 'b', 'c', 'd']) coalescer.append('r', stage, 1, `${stage}\n`);
    await waitFor(() => sent.length === 4, 'the first output of every stage, at once');
    coalescer.append('r', 'a', 1, 'more\n');
    for (let turn = 0; turn < 5; turn++) await nextTurn();
    assert.equal(sent.length, 4, 'four messages spent an allowance of three');
    coalescer.dispose();
    assert.equal(sent.at(-1)?.text, 'more\n');
  });

  it('sends sustained output at most once per interval past the allowance', async () => {
    const pacing = { intervalMs: 20, burstMessages: 2, messagesPerSecond: 10 };
    const sent: Sent[] = [];
    const coalescer = new LogCoalescer({ send: (p) => sent.push(p), backlog: () => 0 }, { pacing });
    const started = performance.now();
    let log = '';
    let lines = 0;
    // A line every turn until the interval has let a few sends out past the burst.
    while (sent.length < pacing.burstMessages + 3) {
      if (performance.now() - started > 5000) throw new Error('Timed out: sends past the burst');
      const text = `line ${lines++}\n`;
      log += text;
      coalescer.append('r', 's', 1, text);
      await nextTurn();
    }
    const elapsed = performance.now() - started;
    coalescer.dispose();
    // The pacer's bound, whatever the speed of the machine: the burst, what the allowance earned,
    // one send per interval, and the last flush.
    const bound =
      pacing.burstMessages +
      Math.ceil((elapsed * pacing.messagesPerSecond) / 1000) +
      Math.ceil(elapsed / pacing.intervalMs) +
      2;
    assert.ok(sent.length <= bound, `${sent.length} messages in ${elapsed.toFixed(0)} ms`);
    assert.ok(sent.length < lines, `${lines} lines in ${sent.length} messages`);
    assertPiecesOf(log, sent);
  });

  it('counts offsets in bytes of multi-byte text, across dropped chunks', () => {
    const { sent, backlog, coalescer } = recorder();
    backlog.bytes = MAX_BACKLOG_BYTES;
    const chunk = `${'é'.repeat(1023)}\n`;
    for (let i = 0; i < 2000; i++) coalescer.append('r', 's', 1, chunk);
    backlog.bytes = 0;
    coalescer.dispose();
    const last = sent.at(-1);
    const bytes = Buffer.byteLength(chunk, 'utf8');
    assert.equal((last?.offset ?? 0) + Buffer.byteLength(last?.text ?? '', 'utf8'), 2000 * bytes);
  });
});

/** Pacing whose allowance the budget tests do not notice: they flush by hand. */
const SLOW_PACING: MessagePacing = { intervalMs: 60_000, burstMessages: 10, messagesPerSecond: 40 };

/** A coalescer on a clock the test moves, with a small live-log budget. */
function budgeted(limits: LiveLogLimits): {
  sent: Sent[];
  clock: { now: number };
  coalescer: LogCoalescer;
} {
  const sent: Sent[] = [];
  const clock = { now: 1_000_000 };
  const coalescer = new LogCoalescer(
    { send: (p) => sent.push(p), backlog: () => 0 },
    { pacing: { ...SLOW_PACING, intervalMs: 60_000 }, limits, now: () => clock.now },
  );
  return { sent, clock, coalescer };
}

/** Numbered lines of about 100 bytes, `from` to `to` exclusive. */
function lines(from: number, to: number, suffix = ''): string {
  let text = '';
  for (let i = from; i < to; i++)
    text += `line ${String(i).padStart(6, '0')} ${'x'.repeat(86)}${suffix}\n`;
  return text;
}

/**
 * Checks that the messages of one stream are in order, never overlap, and
 * that each message's text is exactly the log's bytes at its offset: the live
 * text plus the gaps read from the log give back the whole log.
 */
function assertPiecesOf(log: string, messages: readonly Sent[]): number {
  const bytes = Buffer.from(log, 'utf8');
  let end = 0;
  let gapBytes = 0;
  for (const message of messages) {
    assert.ok(message.offset >= end, `message at ${message.offset} overlaps what ended at ${end}`);
    gapBytes += message.offset - end;
    const length = Buffer.byteLength(message.text, 'utf8');
    assert.equal(
      bytes.subarray(message.offset, message.offset + length).toString('utf8'),
      message.text,
      `the text at ${message.offset}`,
    );
    end = message.offset + length;
  }
  assert.equal(end, bytes.length, 'the last message ends where the log ends');
  return gapBytes;
}

describe('LogCoalescer live-log budget', () => {
  const limits: LiveLogLimits = { bytesPerSecond: 8192, burstBytes: 4096, minShareBytes: 512 };

  it('sends only the newest text past the budget, from a line start, after a gap', () => {
    const { sent, coalescer } = budgeted(limits);
    const log = lines(0, 200);
    for (let i = 0; i < 200; i += 10) coalescer.append('r', 's', 1, lines(i, i + 10));
    coalescer.flush();
    assert.equal(sent.length, 1);
    const [message] = sent;
    assert.ok((message?.text.length ?? 0) <= 4096, `${message?.text.length} chars sent`);
    assert.match(message?.text ?? '', /^line \d{6} /, 'it starts at a line start');
    assert.ok(message?.text.endsWith(lines(199, 200)), 'it ends with the newest line');
    assert.ok(assertPiecesOf(log, sent) > 15_000, 'most of the flood is a gap');
  });

  it('shares the budget: a quiet stage’s lines go out whole next to a flooding stage', () => {
    const { sent, coalescer } = budgeted(limits);
    coalescer.append('r', 'flood', 1, lines(0, 300));
    coalescer.append('r', 'quiet', 1, 'one line\n');
    coalescer.flush();
    const quiet = sent.find((m) => m.stage === 'quiet');
    const flood = sent.find((m) => m.stage === 'flood');
    assert.deepEqual(quiet && [quiet.text, quiet.offset], ['one line\n', 0]);
    assert.ok((flood?.text.length ?? 0) > 3000 && (flood?.text.length ?? 0) <= 4096);
  });

  it('keeps a floor per stage once the budget is spent, and refills at its rate', () => {
    const { sent, clock, coalescer } = budgeted(limits);
    const log = lines(0, 400);
    coalescer.append('r', 's', 1, lines(0, 100));
    coalescer.flush();
    coalescer.append('r', 's', 1, lines(100, 200));
    coalescer.flush();
    assert.ok((sent[1]?.text.length ?? 0) <= 512 + 100, 'the floor only, with the budget spent');
    clock.now += 250;
    coalescer.append('r', 's', 1, lines(200, 300));
    coalescer.flush();
    clock.now += 1000;
    coalescer.append('r', 's', 1, lines(300, 400));
    coalescer.flush();
    const third = sent[2]?.text.length ?? 0;
    assert.ok(third >= 1024 && third <= 2048, `${third} chars after 250 ms at 8 KiB/s`);
    assert.ok((sent[3]?.text.length ?? 0) > 3000, 'a full burst after a quiet second');
    assertPiecesOf(log, sent);
  });

  it('drops what the next send cannot carry as it comes, instead of holding it', () => {
    const sent: Sent[] = [];
    const clock = { now: 1_000_000 };
    const coalescer = new LogCoalescer(
      { send: (p) => sent.push(p), backlog: () => 0 },
      { pacing: { ...SLOW_PACING, intervalMs: 50 }, limits, now: () => clock.now },
    );
    coalescer.append('r', 's', 1, lines(0, 100));
    coalescer.flush();
    // The budget is spent: the next send can carry the floor and what 50 ms earn, 512 bytes.
    for (let i = 100; i < 200; i++) coalescer.append('r', 's', 1, lines(i, i + 1));
    clock.now += 10_000;
    coalescer.flush();
    coalescer.dispose();
    assert.ok((sent[1]?.text.length ?? 0) <= 600, `${sent[1]?.text.length} chars were held`);
    assertPiecesOf(lines(0, 200), sent);
  });

  it('gives back the whole log from live text and gaps, multi-byte text included', () => {
    const { sent, clock, coalescer } = budgeted(limits);
    let log = '';
    for (let round = 0; round < 50; round++) {
      const text = lines(round * 37, round * 37 + 37, round % 3 === 0 ? ' é😀' : '');
      log += text;
      // Split each round's text at odd places, surrogate pairs included.
      for (let at = 0; at < text.length; at += 777)
        coalescer.append('r', 's', 1, text.slice(at, at + 777));
      clock.now += round % 5 === 0 ? 400 : 20;
      coalescer.flush();
    }
    assertPiecesOf(log, sent);
    for (const message of sent) assert.ok(!/^[\uDC00-\uDFFF]/.test(message.text));
  });
});
