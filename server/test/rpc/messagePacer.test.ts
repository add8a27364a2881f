import * as assert from 'node:assert/strict';
import { MessagePacer } from '../../src/rpc/service/messagePacer';

/** A pacer on a clock the test moves: 4 messages at once, 20 a second, else one send per 100 ms. */
function pacer(): { clock: { now: number }; pacer: MessagePacer } {
  const clock = { now: 5_000 };
  return {
    clock,
    pacer: new MessagePacer(
      { intervalMs: 100, burstMessages: 4, messagesPerSecond: 20 },
      () => clock.now,
    ),
  };
}

describe('MessagePacer', () => {
  it('lets a burst of messages out at once, then waits for the allowance to come back', () => {
    const { clock, pacer: p } = pacer();
    for (let send = 0; send < 4; send++) {
      assert.equal(p.delayFor(1), 0, `send ${send + 1} of the burst`);
      p.sent(1);
    }
    assert.equal(p.delayFor(1), 50, 'one message earned back at 20 a second');
    clock.now += 50;
    assert.equal(p.delayFor(1), 0);
  });

  it('lets any send out once the interval since the last one has passed', () => {
    const { clock, pacer: p } = pacer();
    p.sent(4);
    assert.equal(p.delayFor(8), 100, 'more messages than the burst wait for the interval');
    clock.now += 60;
    assert.equal(p.delayFor(8), 40);
    clock.now += 40;
    assert.equal(p.delayFor(8), 0);
  });

  it('waits for whichever comes first, the interval or the allowance', () => {
    const { clock, pacer: p } = pacer();
    p.sent(4);
    assert.equal(p.delayFor(3), 100, '150 ms to earn three; the interval is sooner');
    clock.now += 20;
    assert.equal(p.delayFor(1), 30);
  });

  it('spends the allowance with every send, so a flood does not save any up', () => {
    const { clock, pacer: p } = pacer();
    // Eight streams sent together every interval: 8 messages spend what 100 ms earn (2) and more.
    for (let round = 0; round < 10; round++) {
      p.sent(8);
      clock.now += 50;
      assert.equal(p.delayFor(4), 50, `round ${round}: no burst saved up, the interval rules`);
      clock.now += 50;
    }
    // A quiet second refills the burst.
    clock.now += 1000;
    for (let send = 0; send < 4; send++) {
      assert.equal(p.delayFor(1), 0);
      p.sent(1);
    }
  });
});
