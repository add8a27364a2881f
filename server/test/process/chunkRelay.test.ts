import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { ChunkRelay } from '../../src/process/chunkRelay';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Waits for `predicate`, one event-loop turn at a time, failing after `turns` turns. */
async function waitFor(predicate: () => boolean, what: string, turns = 1000): Promise<void> {
  for (let turn = 0; turn < turns; turn += 1) {
    if (predicate()) return;
    await nextTurn();
  }
  assert.fail(`timed out waiting for ${what}`);
}

describe('ChunkRelay', () => {
  it('delivers at most one chunk per event-loop turn, all of them in order', async () => {
    const stream = new PassThrough();
    const relay = new ChunkRelay(stream);
    const chunks: string[] = [];
    let seenByNextTurn: number | undefined;
    relay.listen((chunk) => {
      chunks.push(chunk.toString());
      if (chunks.length === 1) setImmediate(() => (seenByNextTurn = chunks.length));
    });
    for (const text of ['a', 'b', 'c']) stream.write(text);
    await waitFor(() => chunks.length === 3, 'three chunks');
    assert.equal(seenByNextTurn, 1);
    assert.deepEqual(chunks, ['a', 'b', 'c']);
  });

  it('stays paused across turns while the caller holds it, and goes on after resume', async () => {
    const stream = new PassThrough();
    const relay = new ChunkRelay(stream);
    const chunks: string[] = [];
    relay.listen((chunk) => {
      chunks.push(chunk.toString());
      if (chunks.length === 1) relay.pause();
    });
    for (const text of ['a', 'b', 'c']) stream.write(text);
    await waitFor(() => chunks.length === 1, 'the first chunk');
    for (let turn = 0; turn < 5; turn += 1) await nextTurn();
    assert.deepEqual(chunks, ['a']);
    relay.resume();
    await waitFor(() => chunks.length === 3, 'the held chunks');
    assert.deepEqual(chunks, ['a', 'b', 'c']);
  });
});
