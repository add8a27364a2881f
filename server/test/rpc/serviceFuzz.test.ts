import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { ErrorCodes } from '@baton/protocol';
import { BatonService } from '../../src/rpc/service/batonService';
import { validators } from '../../src/rpc/validate';
import { createHarness, type Harness } from './harness';

const RUNS = Number(process.env.BATON_FUZZ_RUNS ?? '150');
const PIPELINE = 'name: Quiet\nstages:\n  a:\n    run: "true"\n';

/** Params that pass validation often enough to reach the real handlers. */
const plausibleParams = fc.record(
  {
    runId: fc.oneof(fc.constantFrom('r1', '20260101-000000-000-aaaa', '..', 'a/b'), fc.string()),
    stage: fc.oneof(fc.constantFrom('a', 'zz'), fc.string()),
    pipeline: fc.oneof(
      fc.constantFrom('quiet', 'nope', '/etc/passwd', '../x.pipeline.yaml'),
      fc.string(),
    ),
    promptId: fc.oneof(fc.constantFrom('inputs.x', 'a/go'), fc.string()),
    value: fc.jsonValue(),
    afterSeq: fc.oneof(fc.nat(), fc.integer(), fc.double()),
    limit: fc.oneof(fc.nat({ max: 20000 }), fc.integer()),
    offset: fc.integer(),
    attempt: fc.integer({ min: -2, max: 5 }),
    status: fc.array(fc.constantFrom('running', 'failed', 'bogus')),
    dryRun: fc.boolean(),
  },
  { requiredKeys: [] },
);

describe('the real handlers under random params (in-process)', function () {
  this.timeout(120000);
  let workspace = '';
  let harness: Harness;
  let service: BatonService | undefined;

  before(async () => {
    workspace = mkdtempSync(path.join(os.tmpdir(), 'baton-service-fuzz-'));
    writeFileSync(path.join(workspace, 'quiet.pipeline.yaml'), PIPELINE);
    harness = createHarness({
      logLevel: 'error',
      onInitialize: async (params) => {
        service = await BatonService.start(harness.connection, params, {});
      },
    });
    // Trusted false: random params must never start real runs here.
    const init = await harness.initialize({
      rootUri: pathToFileURL(workspace).href,
      initializationOptions: { trusted: false },
    });
    assert.equal(init.error, undefined);
  });
  after(async () => {
    await service?.shutdown();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('answer every method with a result or a specific error, never an internal one', async () => {
    let id = 0;
    let reachedHandlers = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(validators)),
        plausibleParams,
        async (method, params) => {
          const response = await harness.request(method, params, `fuzz-${id++}`);
          const code = response.error?.code;
          if (code === undefined || (code <= -32010 && code >= -32049)) reachedHandlers++;
          if (response.error !== undefined) {
            assert.notEqual(
              response.error.code,
              ErrorCodes.InternalError,
              JSON.stringify({ method, params, error: response.error }),
            );
            assert.ok(response.error.code < 0, JSON.stringify(response.error));
          }
        },
      ),
      { numRuns: RUNS },
    );
    // Params must get past validation often, or this would only test the validators again.
    assert.ok(reachedHandlers > RUNS / 10, `only ${reachedHandlers} of ${RUNS} reached a handler`);
  });
});
