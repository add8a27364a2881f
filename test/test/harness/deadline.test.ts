import * as assert from 'node:assert/strict';
import { durationFromEnv, waitFor, withDeadline } from '../../src/harness/deadline';

describe('waitFor', () => {
  it('returns the first value the probe gives that is not undefined or false', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls < 3 ? undefined : `after ${calls}`), {
      what: 'the third call',
      timeoutMs: 5000,
      intervalMs: 1,
    });
    assert.equal(value, 'after 3');
  });

  it('fails naming what it waited for and the probe’s last error', async () => {
    await assert.rejects(
      waitFor(
        () => {
          throw new Error('not yet');
        },
        { what: 'the moon', timeoutMs: 50, intervalMs: 5 },
      ),
      /timed out after 50 ms waiting for the moon: not yet/,
    );
  });
});

describe('withDeadline', () => {
  it('passes the result through when in time', async () => {
    assert.equal(await withDeadline(Promise.resolve(7), 1000, 'seven'), 7);
  });

  it('rejects naming the step when the promise never settles', async () => {
    await assert.rejects(
      withDeadline(new Promise(() => undefined), 20, 'forever'),
      /timed out after 20 ms: forever/,
    );
  });
});

describe('durationFromEnv', () => {
  const name = 'BATON_TEST_DURATION_FOR_UNIT_TEST';
  afterEach(() => delete process.env[name]);

  it('uses the fallback when unset and the number when set', () => {
    assert.equal(durationFromEnv(name, 10), 10);
    process.env[name] = '2500';
    assert.equal(durationFromEnv(name, 10), 2500);
  });

  it('rejects values that are not positive numbers, naming the variable', () => {
    process.env[name] = 'soon';
    assert.throws(() => durationFromEnv(name, 10), /BATON_TEST_DURATION_FOR_UNIT_TEST=soon/);
  });
});
