import * as assert from 'node:assert/strict';
import { parse, yaml } from './helpers';

/** Where a wrong key is written: at the top level, in a stage, or in an input. */
type Level = 'top' | 'stage' | 'input';

function fileWith(level: Level, key: string): string {
  if (level === 'top') return yaml(`${key}: 1`, 'stages:', '  a: { run: x }');
  if (level === 'stage') return yaml('stages:', '  a:', '    run: x', `    ${key}: 1`);
  return yaml('inputs:', '  q:', '    prompt: Q?', `    ${key}: 1`, 'stages:', '  a: { run: x }');
}

/**
 * Every word from another tool that edit distance alone would not turn into
 * the right key, written where its Baton key belongs, and the key it must
 * suggest. The table is the oracle: it is written out here, not read from
 * `KEY_HINTS`.
 */
const HINTS: readonly (readonly [key: string, level: Level, suggested: string])[] = [
  ['depends_on', 'stage', 'needs'],
  ['dependson', 'stage', 'needs'],
  ['dependencies', 'stage', 'needs'],
  ['after', 'stage', 'needs'],
  ['requires', 'stage', 'needs'],
  ['command', 'stage', 'run'],
  ['cmd', 'stage', 'run'],
  ['script', 'stage', 'run'],
  ['shell', 'stage', 'run'],
  ['working_directory', 'stage', 'cwd'],
  ['workdir', 'stage', 'cwd'],
  ['dir', 'stage', 'cwd'],
  ['environment', 'stage', 'env'],
  ['environment', 'top', 'env'],
  ['jobs', 'top', 'stages'],
  ['steps', 'top', 'stages'],
  ['tasks', 'top', 'stages'],
  ['params', 'top', 'inputs'],
  ['parameters', 'top', 'inputs'],
  ['parallelism', 'top', 'concurrency'],
  ['timeout_minutes', 'stage', 'timeout'],
  ['retry_policy', 'stage', 'retry'],
  ['artifacts', 'stage', 'outputs'],
  ['choices', 'input', 'options'],
  ['question', 'input', 'prompt'],
  ['message', 'input', 'prompt'],
  ['runner', 'stage', 'executor'],
  ['runs_on', 'stage', 'executor'],
  ['runs-on', 'stage', 'executor'],
  ['allow_failure', 'stage', 'continue_on_error'],
  ['when', 'stage', 'if'],
  ['for_each', 'stage', 'foreach'],
  ['for', 'stage', 'foreach'],
  ['strategy', 'stage', 'matrix'],
  ['condition', 'stage', 'if'],
  ['ignore_errors', 'stage', 'continue_on_error'],
];

describe('keys from other tools', () => {
  for (const [key, level, suggested] of HINTS) {
    it(`"${key}" in ${level === 'top' ? 'the top level' : `an ${level}`.replace('an stage', 'a stage')} suggests "${suggested}"`, () => {
      const found = parse(fileWith(level, key)).diagnostics.find((d) => d.code === 'unknown-key');
      assert.ok(found, `no unknown-key for ${key}`);
      assert.match(
        found.message,
        new RegExp(`unknown key "${key}"\\. Did you mean "${suggested}"\\?`),
      );
      assert.deepEqual(found.fix, { find: key, replaceWith: suggested });
    });
  }

  it('suggests nothing from the hints where the hinted key is not allowed', () => {
    // `jobs` means `stages`, which a stage cannot hold: the stage's keys are listed instead.
    const found = parse(fileWith('stage', 'jobs')).diagnostics.find(
      (d) => d.code === 'unknown-key',
    );
    assert.ok(found);
    assert.match(found.message, /unknown key "jobs"\. Allowed here: run, needs,/);
    assert.equal(found.fix, undefined);
  });
});
