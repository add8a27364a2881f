import * as assert from 'node:assert/strict';
import { parse, parseValid, yaml } from './helpers';

/** Every diagnostic of `text`: code, severity, line, column, end column, message. */
function found(text: string): unknown[] {
  return parse(text).diagnostics.map((d) => [
    d.code,
    d.severity,
    d.line,
    d.column,
    d.endColumn,
    d.message,
  ]);
}

const badName = (path: string, name: string): string =>
  `${path}: "${name}" is not a valid environment variable name (letters, digits and "_", not starting with a digit).`;
const reserved = (path: string): string =>
  `${path}: names starting with BATON_ are reserved for the variables Baton sets itself.`;

describe('pipeline: env and secrets names', () => {
  it('keeps valid names with their text, and says what is wrong with each bad one', () => {
    assert.deepEqual(
      found(
        yaml(
          'env: { A_1: x, _b: "y", 9a: z, a-b: w, baton_x: v, BATON: u, C: [1] }',
          'stages:',
          '  a: { run: x }',
        ),
      ),
      [
        ['bad-env-name', 'error', 1, 25, 27, badName('env', '9a')],
        ['bad-env-name', 'error', 1, 32, 35, badName('env', 'a-b')],
        ['reserved-env-name', 'error', 1, 40, 47, reserved('env')],
        ['wrong-type', 'error', 1, 65, 68, 'env.C: expected text, got a list.'],
      ],
    );
    const pipeline = parseValid(
      yaml(
        'env: { A_1: x, _b: "y", BATON: u, Z9: 5, T: true }',
        'stages:',
        '  a: { run: x, env: { X: "1" } }',
      ),
    );
    assert.deepEqual(pipeline.env, { A_1: 'x', _b: 'y', BATON: 'u', Z9: '5', T: 'true' });
    assert.deepEqual(pipeline.stages[0]?.env, { X: '1' });
  });

  it('reports a bad name and a value that is not text in the same mapping', () => {
    assert.deepEqual(
      found(yaml('stages:', '  a:', '    run: x', '    env: { "a b": x, OK: null }')),
      [
        ['bad-env-name', 'error', 4, 12, 17, badName('stages.a.env', 'a b')],
        ['wrong-type', 'error', 4, 26, 30, 'stages.a.env.OK: expected text, got nothing.'],
      ],
    );
  });

  it('warns about a secret listed twice, at the second, and refuses bad or reserved names', () => {
    assert.deepEqual(
      found(yaml('secrets: [TOKEN, TOKEN, 9x, Baton_KEY, OK_2]', 'stages:', '  a: { run: x }')),
      [
        ['duplicate-secret', 'warning', 1, 18, 23, 'secrets: "TOKEN" is listed twice.'],
        ['bad-env-name', 'error', 1, 25, 27, badName('secrets', '9x')],
        ['reserved-env-name', 'error', 1, 29, 38, reserved('secrets')],
      ],
    );
    const pipeline = parse(
      yaml('secrets: [TOKEN, KEY, TOKEN]', 'stages:', '  a: { run: x }'),
    ).pipeline;
    assert.deepEqual(pipeline?.secretEnv, ['TOKEN', 'KEY']);
    assert.deepEqual(parseValid(yaml('secrets:', 'stages:', '  a: { run: x }')).secretEnv, []);
  });
});
