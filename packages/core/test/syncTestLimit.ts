import { readFileSync, writeFileSync } from 'node:fs';
import * as vm from 'node:vm';
import type { Context, Func, Test } from 'mocha';

/**
 * A mocha root hook plugin (loaded with `--require`, see `.mocharc.json` and
 * `mutation/stryker.core.config.mjs`): the synchronous part of each test runs
 * under a time limit that interrupts it.
 *
 * Why: the core is pure and synchronous, so a loop that never ends (a parser
 * that stops advancing, a queue that never empties) blocks the event loop and
 * mocha's own timeout, a timer, never fires: the run hangs. Under mutation
 * testing such a mutant then costs Stryker's whole timeout and a restart of
 * its test runner, and on a loaded machine `pipeline/` did not finish in 70
 * minutes. Run through `vm` with a `timeout`, V8 stops the looping code, the
 * test fails with "Script execution timed out", and the mutant counts as
 * killed by that test.
 *
 * The limit is the test's own mocha timeout (`.mocharc.json`: 20 s). Where
 * there is none (Stryker runs mocha with timeouts off) it is twice the time
 * the test took the first time it passed in this process, plus
 * {@link MARGIN_MS}: Stryker's dry run, which runs every test unmutated,
 * comes first in its test runner, so a quick test stops a spinning mutant
 * after a few seconds while a property test that takes ten seconds on a
 * loaded machine keeps room. A test not seen pass yet (a runner Stryker
 * restarted) gets `BATON_SYNC_TEST_LIMIT_MS`, else {@link DEFAULT_LIMIT_MS}.
 * Stryker restarts a runner after each of its own timeouts, which would lose
 * the times learnt in the dry run and turn every later endless loop into
 * another timeout: with `BATON_SYNC_TEST_TIMES` naming a file, the times are
 * kept there and read back by the next runner.
 * Tests that take a `done` callback are left alone; for an async test only the
 * part before its first `await` is bounded.
 */
export const DEFAULT_LIMIT_MS = 20_000;

/** Added to twice a test's earlier time: room for a loaded machine's pauses. */
export const MARGIN_MS = 5_000;

/** Where the times are kept across test runner processes, when set. */
const TIMES_FILE = process.env.BATON_SYNC_TEST_TIMES;

/** Milliseconds each test (by full title) took the first time it passed (in this process or an earlier one). */
const passedIn = new Map<string, number>(readTimes());

function readTimes(): [string, number][] {
  if (TIMES_FILE === undefined) return [];
  try {
    return Object.entries(JSON.parse(readFileSync(TIMES_FILE, 'utf8')) as Record<string, number>);
  } catch {
    return []; // No runner has written it yet.
  }
}

/** The slot through which the `vm` script reaches the test body (scripts see only globals). */
const SLOT = '__batonSyncTestBody';
const CALL = new vm.Script(`globalThis.${SLOT}()`, { filename: 'syncTestLimit' });

/** The limit for `test`: its mocha timeout, else the environment's or the default. */
function limitFor(test: Test): number {
  const own = test.timeout();
  if (own > 0) return own;
  const before = passedIn.get(test.fullTitle());
  if (before !== undefined) return 2 * before + MARGIN_MS;
  const fromEnv = Number(process.env.BATON_SYNC_TEST_LIMIT_MS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_LIMIT_MS;
}

/** Bodies already wrapped (Stryker runs the same mocha tests once per mutant). */
const wrapped = new WeakSet<Func>();

/** Wraps `body` so that its synchronous part is stopped after `limitMs`. */
export function bounded(body: Func, limitMs: number): Func {
  const limited = function (this: Context): unknown {
    const slots = globalThis as Record<string, unknown>;
    slots[SLOT] = () => (body as (this: Context) => unknown).call(this);
    try {
      return CALL.runInThisContext({ timeout: limitMs });
    } finally {
      delete slots[SLOT];
    }
  } as Func;
  wrapped.add(limited);
  return limited;
}

/** Mocha root hooks: each test body is swapped for its bounded version just before it runs. */
export const mochaHooks = {
  beforeEach(this: Context): void {
    const test = this.currentTest;
    if (test?.fn === undefined || test.fn.length > 0 || wrapped.has(test.fn)) return;
    test.fn = bounded(test.fn, limitFor(test));
  },
  afterEach(this: Context): void {
    const test = this.currentTest;
    if (test?.state !== 'passed' || test.duration === undefined) return;
    const title = test.fullTitle();
    if (passedIn.has(title)) return;
    passedIn.set(title, test.duration);
    if (TIMES_FILE !== undefined)
      writeFileSync(TIMES_FILE, JSON.stringify(Object.fromEntries(passedIn)));
  },
};
