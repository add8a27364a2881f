import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { ErrorCodes } from '@baton/protocol';
import { BatonService } from '../../src/rpc/service/batonService';
import { validators } from '../../src/rpc/validate';
import { assertSeeded, fuzzSeed } from '../helpers/fuzzSeed';
import { waitFor } from '../helpers/waitFor';
import { createHarness, type Harness } from './harness';

const RUNS = Number(process.env.BATON_FUZZ_RUNS ?? '150');
/** Replay a failure with the seed its message names (`BATON_FUZZ_SEED=<seed>`). */
const SEED = fuzzSeed(20261204);
const PIPELINE = 'name: Quiet\nstages:\n  a:\n    run: "true"\n';
/** A pipeline whose run fails, so resumeRun and retryStage have a run they may act on. */
const FAILING =
  'name: Broken\nstages:\n  a:\n    run: "true"\n  b:\n    needs: [a]\n    run: "exit 3"\n';
/** Ids of the runs made before fuzzing; filled in `before`, read when params are drawn. */
const realRunIds: string[] = [];
/** The codes that say a handler looked at the params and refused them for a reason of its own. */
const HANDLER_CODES = new Set<number>(
  Object.values(ErrorCodes).filter((code) => code <= -32010 && code >= -32049),
);

/** Params that pass validation often enough to reach the real handlers. */
const plausibleParams = fc.record(
  {
    runId: fc.oneof(
      { weight: 3, arbitrary: fc.nat().map((index) => pickRealRun(index)) },
      fc.constantFrom('r1', '20260101-000000-000-aaaa', '..', 'a/b'),
      fc.string(),
    ),
    stage: fc.oneof(fc.constantFrom('a', 'b', 'zz'), fc.string()),
    pipeline: fc.oneof(
      fc.constantFrom('quiet', 'broken', 'nope', '/etc/passwd', '../x.pipeline.yaml'),
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

/**
 * The real run `index` picks (looked up when drawn: the ids exist only once
 * `before` ran). It depends only on the drawn number, so a seed replays it.
 */
function pickRealRun(index: number): string {
  return realRunIds[index % realRunIds.length] ?? 'r1';
}

describe('the real handlers under random params (in-process)', function () {
  this.timeout(120000);
  let workspace = '';
  let harness: Harness;
  let service: BatonService | undefined;

  before(async () => {
    workspace = mkdtempSync(path.join(os.tmpdir(), 'baton-service-fuzz-'));
    writeFileSync(path.join(workspace, 'quiet.pipeline.yaml'), PIPELINE);
    writeFileSync(path.join(workspace, 'broken.pipeline.yaml'), FAILING);
    harness = createHarness({
      logLevel: 'error',
      onInitialize: async (params) => {
        service = await BatonService.start(harness.connection, params, {});
      },
    });
    // Trusted, with real runs: an untrusted workspace would refuse nearly every
    // method before its handler looked at the params. Random params may start
    // runs here; the pipelines only run `true` and `exit 3` in a temp dir.
    const init = await harness.initialize({
      rootUri: pathToFileURL(workspace).href,
      initializationOptions: { trusted: true },
    });
    assert.equal(init.error, undefined);
    for (const [pipeline, status] of [
      ['quiet', 'succeeded'],
      ['broken', 'failed'],
    ] as const) {
      const started = await harness.request(
        'baton/startRun',
        { pipeline, interactive: false },
        `make-${pipeline}`,
      );
      const runId = (started.result as { runId: string } | undefined)?.runId;
      assert.ok(runId, JSON.stringify(started));
      let polls = 0;
      await waitFor(`run ${runId} to end ${status}`, async () => {
        // A fresh id per poll: the harness matches answers to requests by id.
        const run = await harness.request('baton/getRun', { runId }, `wait-${runId}-${polls++}`);
        const got = (run.result as { status?: string } | undefined)?.status;
        if (got === 'succeeded' || got === 'failed') assert.equal(got, status, JSON.stringify(run));
        return got === status;
      });
      realRunIds.push(runId);
    }
  });
  after(async () => {
    await service?.shutdown();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('answer every method with a result or a specific error, never an internal one', async () => {
    let id = 0;
    // Per method: answered with a result, refused by the handler for a reason of
    // its own, or refused before it (bad params, unknown run).
    const tally = new Map<string, { results: number; refusals: number; early: number }>();
    await assertSeeded(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(validators)),
        plausibleParams,
        async (method, params) => {
          const response = await harness.request(method, params, `fuzz-${id++}`);
          const code = response.error?.code;
          const counts = tally.get(method) ?? { results: 0, refusals: 0, early: 0 };
          tally.set(method, counts);
          if (code === undefined) counts.results++;
          else if (code !== ErrorCodes.RunNotFound && HANDLER_CODES.has(code)) counts.refusals++;
          else counts.early++;
          assert.notEqual(code, ErrorCodes.WorkspaceUntrusted, 'the workspace is trusted');
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
      SEED,
      { numRuns: RUNS },
    );
    // Params must get past validation and the run lookup often, or this would only
    // test the validators again: count real answers, not refusals before the handler.
    const seen = JSON.stringify(Object.fromEntries(tally));
    const results = [...tally.values()].reduce((sum, counts) => sum + counts.results, 0);
    const reached = [...tally.values()].reduce((sum, c) => sum + c.results + c.refusals, 0);
    assert.ok(reached > RUNS / 4, `only ${reached} of ${RUNS} reached a handler: ${seen}`);
    assert.ok(results > RUNS / 20, `only ${results} of ${RUNS} got a result: ${seen}`);
    const answered = [...tally].filter(([, counts]) => counts.results + counts.refusals > 0);
    assert.ok(
      answered.length >= tally.size / 2,
      `only ${answered.length} of ${tally.size} methods reached their handler: ${seen}`,
    );
  });
});
