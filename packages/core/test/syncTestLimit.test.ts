import * as assert from 'node:assert/strict';
import type { Context, Func } from 'mocha';
import { bounded } from './syncTestLimit';

describe('the synchronous test limit (syncTestLimit.ts)', () => {
  it('stops a synchronous loop that never ends, and the test fails instead of hanging', function () {
    let turns = 0;
    const spin = (() => {
      for (;;) turns += 1;
    }) as Func;
    assert.throws(
      () => (bounded(spin, 50) as (this: Context) => unknown).call(this),
      (error: NodeJS.ErrnoException) => error.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT',
    );
    assert.ok(turns > 0, 'the loop ran before it was stopped');
  });

  it("hands the test's result, its `this` and its errors through unchanged", function () {
    const body = function (this: Context) {
      return this;
    } as Func;
    assert.equal((bounded(body, 1000) as (this: Context) => unknown).call(this), this);
    const failing = (() => {
      throw new RangeError('the test failed');
    }) as Func;
    assert.throws(() => (bounded(failing, 1000) as () => unknown)(), RangeError);
  });
});
