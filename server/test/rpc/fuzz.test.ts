import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { ErrorCodes } from '@baton/protocol';
import { encodeFrame } from '../../src/rpc/transport';
import { assertSeeded, fuzzSeed } from '../helpers/fuzzSeed';
import { validators } from '../../src/rpc/validate';
import { createHarness, type Harness, type Sent } from './harness';

const MAX_BYTES = 4096;
/**
 * Garbage can leave the parser inside a header or a body of up to
 * MAX_BYTES. This fills any such body, then ends any header with a line
 * that cannot parse, so the frame after it is read from a clean state.
 */
const RESYNC = Buffer.from(`${'\n'.repeat(MAX_BYTES + 1)}\r\nX\r\n\r\n`, 'latin1');
const RUNS = Number(process.env.BATON_FUZZ_RUNS ?? '150');
/** Replay a failure with the seed its message names (`BATON_FUZZ_SEED=<seed>`). */
const SEED = fuzzSeed(20261120);

const fixedResult = { pipelines: [] };
const handlers = Object.fromEntries(
  Object.keys(validators).map((method) => [method, () => fixedResult]),
);

async function fuzzHarness(): Promise<Harness> {
  const harness = createHarness({ maxMessageBytes: MAX_BYTES, logLevel: 'error', handlers });
  await harness.initialize();
  return harness;
}

/** After anything, a valid request must still be answered. */
async function assertStillServes(harness: Harness): Promise<void> {
  harness.writeRaw(RESYNC);
  const response = await harness.request('baton/listPipelines', {}, 'probe');
  assert.deepEqual(response.result, fixedResult);
}

const header = fc.oneof(
  fc.nat().map((n) => `Content-Length: ${n}`),
  fc.string().map((s) => `Content-Length: ${s}`),
  fc.constantFrom(
    'Content-Length: 99999999999999999',
    'Content-Length: -1',
    'Content-Type: x; charset=latin1',
  ),
  fc.string(),
);
const frameish = fc.oneof(
  fc.uint8Array({ maxLength: 600 }).map((bytes) => Buffer.from(bytes)),
  fc
    .tuple(fc.array(header, { maxLength: 3 }), fc.string())
    .map(([lines, body]) => Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`, 'utf8')),
  fc.jsonValue().map((value) => encodeFrame(value)),
  fc.tuple(fc.jsonValue(), fc.nat()).map(([value, cut]) => {
    const frame = encodeFrame(value);
    return frame.subarray(0, cut % (frame.length + 1));
  }),
);

describe('rpc fuzzing (fast-check)', function () {
  this.timeout(120000);

  it('random bytes, broken headers, truncated frames: no crash, still serving', async () => {
    await assertSeeded(
      fc.asyncProperty(fc.array(frameish, { maxLength: 8 }), async (chunks) => {
        const harness = await fuzzHarness();
        for (const chunk of chunks) harness.writeRaw(chunk);
        await assertStillServes(harness);
      }),
      SEED,
      { numRuns: RUNS },
    );
  });

  it('wrong param types for every method: -32602 with field and reason, or a result', async () => {
    const methods = Object.keys(validators);
    await assertSeeded(
      fc.asyncProperty(
        fc.constantFrom(...methods),
        fc.oneof(
          fc.jsonValue(),
          fc.dictionary(
            fc.constantFrom(
              'runId',
              'stage',
              'pipeline',
              'afterSeq',
              'limit',
              'value',
              'inputs',
              'offset',
              'promptId',
              'status',
            ),
            fc.jsonValue(),
          ),
        ),
        async (method, params) => {
          const harness = await fuzzHarness();
          const response = await harness.request(method, params, 'fuzz');
          if (response.error === undefined) {
            assert.deepEqual(response.result, fixedResult);
          } else if (params !== null && typeof params !== 'object') {
            // JSON-RPC requires structured params: a bare string or number is not a request.
            assert.equal(response.error.code, ErrorCodes.InvalidRequest);
          } else {
            assert.equal(
              response.error.code,
              ErrorCodes.InvalidParams,
              JSON.stringify(response.error),
            );
            const data = response.error.data as { field: unknown; reason: unknown };
            assert.equal(typeof data.field, 'string');
            assert.equal(typeof data.reason, 'string');
          }
          await assertStillServes(harness);
        },
      ),
      SEED,
      { numRuns: RUNS },
    );
  });

  it('batches of random messages: one answer per request with an id, still serving', async () => {
    await assertSeeded(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.jsonValue(),
            fc.record({
              jsonrpc: fc.constant('2.0'),
              id: fc.nat(),
              method: fc.constantFrom(...Object.keys(validators)),
              params: fc.jsonValue(),
            }),
          ),
          { minLength: 1, maxLength: 50 },
        ),
        async (batch) => {
          const harness = await fuzzHarness();
          const frame = encodeFrame(batch);
          harness.writeRaw(frame);
          if (frame.length - frame.indexOf('\r\n\r\n') - 4 <= MAX_BYTES) {
            const answer = await harness.waitFor(
              (m) =>
                Array.isArray(m) || (m.id === null && m.error !== undefined) || m.id !== undefined,
            );
            const answers: Sent[] = Array.isArray(answer) ? answer : [answer];
            assert.ok(answers.length <= batch.length);
          }
          await assertStillServes(harness);
        },
      ),
      SEED,
      { numRuns: RUNS },
    );
  });
});
