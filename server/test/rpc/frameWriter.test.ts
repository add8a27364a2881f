import * as assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { FrameWriter } from '../../src/rpc/frameWriter';

/** A stream that takes each write only when the test lets it: a client that reads when it likes. */
class HeldStream extends Writable {
  readonly taken: string[] = [];
  private readonly held: (() => void)[] = [];

  constructor() {
    super({ highWaterMark: 100 });
  }

  override _write(chunk: Buffer, _encoding: string, done: (error?: Error | null) => void): void {
    this.held.push(() => {
      this.taken.push(chunk.toString('utf8'));
      done();
    });
  }

  /** Lets `count` held writes through, one after another. */
  async takeSome(count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      this.held.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Lets every held write through, and those that follow, until nothing waits. */
  async takeAll(): Promise<void> {
    while (this.held.length > 0) {
      this.held.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

const frame = (name: string): Buffer => Buffer.from(name.padEnd(60, '.'), 'utf8');

describe('FrameWriter', () => {
  it('writes answers before notifications that wait for the client, and keeps notifications in order', async () => {
    const stream = new HeldStream();
    const writer = new FrameWriter(stream, () => false);
    const written: string[] = [];
    const track = (name: string, promise: Promise<void>): Promise<void> =>
      promise.then(() => void written.push(name));
    const all = [
      track('n1', writer.write(frame('n1'), 'notification')),
      track('n2', writer.write(frame('n2'), 'notification')),
      // The stream is past its high-water mark now: notifications wait in the writer.
      track('n3', writer.write(frame('n3'), 'notification')),
      track('a1', writer.write(frame('a1'), 'answer')),
      track('n4', writer.write(frame('n4'), 'notification')),
    ];
    assert.equal(writer.backlog(), 5 * 60, 'the stream buffer and the waiting notifications');
    await stream.takeAll();
    await Promise.all(all);
    assert.deepEqual(
      stream.taken.map((text) => text.slice(0, 2)),
      ['n1', 'n2', 'a1', 'n3', 'n4'],
    );
    assert.deepEqual(written, ['n1', 'n2', 'a1', 'n3', 'n4']);
    assert.equal(writer.backlog(), 0);
  });

  it('hands the waiting notifications to the stream when released, and drops them once the output is gone', async () => {
    const stream = new HeldStream();
    let closed = false;
    const writer = new FrameWriter(stream, () => closed);
    for (const name of ['n1', 'n2', 'n3']) void writer.write(frame(name), 'notification');
    writer.release();
    await stream.takeAll();
    assert.deepEqual(
      stream.taken.map((text) => text.slice(0, 2)),
      ['n1', 'n2', 'n3'],
    );
    const gone = new HeldStream();
    const late = new FrameWriter(gone, () => closed);
    const pending = ['n1', 'n2', 'n3'].map((name) => late.write(frame(name), 'notification'));
    closed = true;
    late.release();
    await Promise.all(pending.slice(2));
    assert.equal(late.backlog(), 120, 'only what the stream already holds');
  });

  it('moves a long queue of notifications over as many drains as it takes, in order', async () => {
    const stream = new HeldStream();
    const writer = new FrameWriter(stream, () => false);
    const names = Array.from({ length: 150 }, (_, i) => `n${String(i).padStart(3, '0')}`);
    const all = names.map((name) => writer.write(frame(name), 'notification'));
    assert.equal(writer.backlog(), 150 * 60);
    await stream.takeAll();
    await Promise.all(all);
    assert.deepEqual(
      stream.taken.map((text) => text.slice(0, 4)),
      names,
    );
    assert.equal(writer.backlog(), 0);
    // Nothing waits any more: the next notification goes straight to the stream.
    void writer.write(frame('late'), 'notification');
    assert.equal(stream.writableLength, 60);
  });

  it('moves waiting notifications on a drain only until the stream is full again, with one drain listener at most', async () => {
    const stream = new HeldStream();
    const writer = new FrameWriter(stream, () => false);
    const before = stream.listenerCount('drain');
    const names = Array.from({ length: 20 }, (_, i) => `n${String(i).padStart(2, '0')}`);
    const all = names.map((name) => writer.write(frame(name), 'notification'));
    // n00 and n01 fill the stream (high-water mark 100); the other 18 wait behind one listener.
    assert.equal(stream.writableLength, 120);
    assert.equal(stream.listenerCount('drain'), before + 1);
    await stream.takeSome(2);
    // The drain moved n02 and n03, which fill the stream again; 16 still wait.
    assert.equal(stream.writableLength, 120);
    assert.equal(writer.backlog(), 18 * 60);
    assert.equal(stream.listenerCount('drain'), before + 1);
    await stream.takeAll();
    await Promise.all(all);
    assert.deepEqual(
      stream.taken.map((text) => text.slice(0, 3)),
      names,
    );
    // Nothing waits: no listener is left behind on the stream.
    assert.equal(stream.listenerCount('drain'), before);
  });

  it('keeps a notification written by an earlier drain listener behind the ones already waiting', async () => {
    const stream = new HeldStream();
    const writer = new FrameWriter(stream, () => false);
    // This listener comes before the writer's: it writes while the stream no longer needs a drain.
    let late: Promise<void> = Promise.resolve();
    stream.once('drain', () => {
      late = writer.write(frame('n9'), 'notification');
    });
    const all = ['n1', 'n2', 'n3', 'n4'].map((name) => writer.write(frame(name), 'notification'));
    await stream.takeAll();
    await Promise.all([...all, late]);
    assert.deepEqual(
      stream.taken.map((text) => text.slice(0, 2)),
      ['n1', 'n2', 'n3', 'n4', 'n9'],
    );
  });

  it('releases only the notifications still waiting, each once, after a drain moved some', async () => {
    const stream = new HeldStream();
    const writer = new FrameWriter(stream, () => false);
    const names = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6'];
    for (const name of names) void writer.write(frame(name), 'notification');
    // The client reads n1 and n2: the drain moves n3 and n4 into the stream; n5 and n6 wait.
    await stream.takeSome(2);
    writer.release();
    await stream.takeAll();
    assert.deepEqual(
      stream.taken.map((text) => text.slice(0, 2)),
      names,
    );
  });

  it('counts released notifications once, in the stream', async () => {
    const stream = new HeldStream();
    const writer = new FrameWriter(stream, () => false);
    for (const name of ['n1', 'n2', 'n3', 'n4']) void writer.write(frame(name), 'notification');
    writer.release();
    assert.equal(writer.backlog(), 4 * 60);
    await stream.takeAll();
    assert.equal(writer.backlog(), 0);
  });

  it('settles the waiting notifications without writing them when the output closes before it drains', async () => {
    const stream = new HeldStream();
    let closed = false;
    const writer = new FrameWriter(stream, () => closed);
    const pending = ['n1', 'n2', 'n3', 'n4'].map((name) =>
      writer.write(frame(name), 'notification'),
    );
    closed = true;
    await stream.takeAll();
    await Promise.all(pending);
    assert.deepEqual(
      stream.taken.map((text) => text.slice(0, 2)),
      ['n1', 'n2'],
    );
    assert.equal(writer.backlog(), 0);
  });

  for (const [how, close] of [
    ['closed', (_stream: HeldStream, state: { closed: boolean }) => void (state.closed = true)],
    ['destroyed', (stream: HeldStream) => void stream.destroy()],
    ['ended', (stream: HeldStream) => void stream.end()],
  ] as const) {
    it(`writes nothing once the output is ${how}, and settles at once`, async () => {
      const stream = new HeldStream();
      const state = { closed: false };
      // No 'error' listener: a write after end would emit one and fail the test.
      const writer = new FrameWriter(stream, () => state.closed);
      const queued = ['n1', 'n2', 'n3'].map((name) => writer.write(frame(name), 'notification'));
      close(stream, state);
      await writer.write(frame('a1'), 'answer');
      await writer.write(frame('n4'), 'notification');
      writer.release();
      await Promise.all(queued.slice(2));
      assert.equal(writer.backlog(), stream.writableLength, 'no notification waits any more');
      await stream.takeAll();
      assert.ok(
        stream.taken.every((text) => text.startsWith('n1') || text.startsWith('n2')),
        stream.taken.join(','),
      );
    });
  }
});
