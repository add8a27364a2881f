import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { ChunkRelay, TurnBudget } from '../../src/process/chunkRelay';

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
  it('delivers chunks in order, yielding to the next turn once a turn carried its byte budget', async () => {
    const stream = new PassThrough();
    const relay = new ChunkRelay(stream, { budget: new TurnBudget(4) });
    const turns: string[][] = [];
    let current: string[] | undefined;
    relay.listen((chunk) => {
      if (current === undefined) {
        const turn: string[] = [];
        turns.push(turn);
        current = turn;
        // The next turn starts a new group: chunks delivered before it came in this turn.
        setImmediate(() => (current = undefined));
      }
      current.push(chunk.toString());
    });
    for (const text of ['ab', 'cd', 'ef', 'gh', 'ij']) stream.write(text);
    await waitFor(() => turns.flat().length === 5, 'five chunks');
    assert.deepEqual(turns.flat(), ['ab', 'cd', 'ef', 'gh', 'ij']);
    // Two chunks of two bytes spend a budget of four: no turn carries more.
    for (const turn of turns) assert.ok(turn.join('').length <= 4, `a turn carried ${turn.join()}`);
    // Chunks within the budget are not held back for a turn each.
    assert.ok(
      turns.some((turn) => turn.length > 1),
      `one chunk per turn: ${JSON.stringify(turns)}`,
    );
  });

  it('splits one budget per turn among relays, each still getting a chunk per turn', async () => {
    const budget = new TurnBudget(4);
    const streams = [new PassThrough(), new PassThrough()];
    const delivered: string[] = [];
    const perTurn: number[] = [];
    let turnOpen = false;
    for (const stream of streams) {
      new ChunkRelay(stream, { budget }).listen((chunk) => {
        delivered.push(chunk.toString());
        if (!turnOpen) {
          turnOpen = true;
          perTurn.push(0);
          setImmediate(() => (turnOpen = false));
        }
        perTurn[perTurn.length - 1] = (perTurn.at(-1) ?? 0) + chunk.length;
      });
    }
    for (const text of ['ab', 'cd', 'ef', 'gh']) streams[0]?.write(text);
    for (const text of ['AB', 'CD', 'EF', 'GH']) streams[1]?.write(text);
    await waitFor(() => delivered.length === 8, 'eight chunks');
    // The first relay to deliver gets the budget of four; the second, joining, halves the shares
    // and delivers one chunk: six bytes at most in a turn, and four once both share it.
    // Budgets of their own would let each relay deliver four bytes in every turn.
    for (const bytes of perTurn)
      assert.ok(bytes <= 6, `a turn carried ${bytes} bytes: ${perTurn.join()}`);
    assert.deepEqual(
      delivered.filter((text) => text === text.toLowerCase()),
      ['ab', 'cd', 'ef', 'gh'],
    );
    assert.deepEqual(
      delivered.filter((text) => text === text.toUpperCase()),
      ['AB', 'CD', 'EF', 'GH'],
    );
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
