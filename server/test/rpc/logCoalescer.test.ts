import * as assert from 'node:assert/strict';
import type * as P from '@baton/protocol';
import { LogCoalescer, MAX_BACKLOG_BYTES } from '../../src/rpc/service/logCoalescer';

type Sent = Omit<P.DidAppendLogParams, 'seq'>;

function recorder(): { sent: Sent[]; backlog: { bytes: number }; coalescer: LogCoalescer } {
  const sent: Sent[] = [];
  const backlog = { bytes: 0 };
  const coalescer = new LogCoalescer(
    { send: (p) => sent.push(p), backlog: () => backlog.bytes },
    5,
  );
  return { sent, backlog, coalescer };
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

  it('sends output after a quiet spell on the next turn, and a stream at most once per interval', async () => {
    const sent: Sent[] = [];
    const clock = { now: 1_000_000 };
    const coalescer = new LogCoalescer(
      { send: (p) => sent.push(p), backlog: () => 0 },
      60_000,
      () => clock.now,
    );
    coalescer.append('r', 's', 1, 'first\n');
    coalescer.append('r', 's', 1, 'same turn\n');
    await waitFor(() => sent.length === 1, 'the first output without waiting for the interval');
    assert.equal(sent[0]?.text, 'first\nsame turn\n');
    coalescer.append('r', 's', 1, 'soon after\n');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(sent.length, 1, 'output within the interval waits');
    coalescer.dispose();
    assert.deepEqual(
      sent.map((m) => [m.text, m.offset]),
      [
        ['first\nsame turn\n', 0],
        ['soon after\n', 16],
      ],
    );
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
