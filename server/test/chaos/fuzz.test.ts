import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { describeChaos, reportFigures } from './chaosReport';

/** Cases per property of the protocol fuzzer in the long form (the fast form runs 150). */
const RPC_FUZZ_RUNS = Number(process.env.BATON_CHAOS_FUZZ_RUNS ?? 5000);
/** Properties in server/test/rpc/fuzz.test.ts. */
const RPC_FUZZ_PROPERTIES = 3;

const SERVER_DIR = path.resolve(__dirname, '..', '..', '..');
const MOCHA = require.resolve('mocha/bin/mocha.js');

/** Runs a compiled test file in its own mocha, with extra environment; resolves with its exit code and output. */
function runMocha(
  file: string,
  env: Readonly<Record<string, string>>,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [MOCHA, '--no-config', '--timeout', '900000', file], {
    cwd: SERVER_DIR,
    env: { ...process.env, ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

describeChaos('chaos: protocol fuzzing at length', function () {
  it(`the server survives ${RPC_FUZZ_RUNS} cases of each protocol fuzz property`, async () => {
    const result = await runMocha('out/test/rpc/fuzz.test.js', {
      BATON_FUZZ_RUNS: String(RPC_FUZZ_RUNS),
    });
    assert.equal(result.code, 0, result.output);
    assert.match(result.output, new RegExp(`${RPC_FUZZ_PROPERTIES} passing`));
    await reportFigures('rpcFuzz', {
      properties: RPC_FUZZ_PROPERTIES,
      casesPerProperty: RPC_FUZZ_RUNS,
      cases: RPC_FUZZ_PROPERTIES * RPC_FUZZ_RUNS,
    });
  });
});
