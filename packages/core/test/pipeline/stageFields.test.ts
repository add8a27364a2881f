import * as assert from 'node:assert/strict';
import { parseValid, yaml } from './helpers';

/** What every stage has when its file says nothing more than `run`. */
const DEFAULTS = {
  env: {},
  needs: [],
  retry: { attempts: 1, backoffMs: 1000, factor: 2, maxBackoffMs: 100_000, jitter: 0 },
  outputs: [],
  watch: [],
  deps: [],
  cache: true,
  continueOnError: false,
};

describe('pipeline: stage fields as read, with their defaults', () => {
  it('reads every field of a stage, and fills in the defaults of those left out', () => {
    const pipeline = parseValid(
      yaml(
        'pools: { gpu: 2 }',
        'stages:',
        '  a: { run: x, retries: 3 }',
        '  b: { run: x, retry: { attempts: 2, backoff: 0s, factor: 1.5, jitter: 0.5, on_exit_codes: [75] } }',
        '  c: { run: x, retry: { backoff: 2s, max_backoff: 2s } }',
        '  d: { run: " y ", cwd: sub, timeout: 1m, idle_timeout: 30s, needs: [a], outputs: o, watch: [w], deps: d, cache: false, continue_on_error: true, resources: { gpu: 2 }, if: failure(), env: { A: 1 } }',
        '  e: { run: x, retry: {} }',
      ),
    );
    assert.deepEqual(pipeline.pools, { gpu: 2 });
    assert.deepEqual(pipeline.stages, [
      {
        ...DEFAULTS,
        id: 'a',
        run: 'x',
        retry: { ...DEFAULTS.retry, attempts: 3 },
        position: { line: 3, column: 3 },
      },
      {
        ...DEFAULTS,
        id: 'b',
        run: 'x',
        // max_backoff defaults to 100 times backoff, here 0.
        retry: {
          attempts: 2,
          backoffMs: 0,
          factor: 1.5,
          maxBackoffMs: 0,
          jitter: 0.5,
          onExitCodes: [75],
        },
        position: { line: 4, column: 3 },
      },
      {
        ...DEFAULTS,
        id: 'c',
        run: 'x',
        retry: { ...DEFAULTS.retry, backoffMs: 2000, maxBackoffMs: 2000 },
        position: { line: 5, column: 3 },
      },
      {
        id: 'd',
        run: ' y ',
        env: { A: '1' },
        needs: ['a'],
        retry: DEFAULTS.retry,
        outputs: ['o'],
        watch: ['w'],
        deps: ['d'],
        cache: false,
        continueOnError: true,
        position: { line: 6, column: 3 },
        cwd: 'sub',
        timeoutMs: 60_000,
        idleTimeoutMs: 30_000,
        resources: { gpu: 2 },
        if: 'failure()',
      },
      { ...DEFAULTS, id: 'e', run: 'x', position: { line: 7, column: 3 } },
    ]);
  });
});
