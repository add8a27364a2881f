import * as assert from 'node:assert/strict';
import { parseOptions } from '../src/options';
import { runScenarios, selectScenarios } from '../src/runner';
import type { Scenario } from '../src/scenario';

function scenario(key: string, run: Scenario['run']): Scenario {
  return { key, title: key, run };
}

describe('bench command line and runner', () => {
  it('reads --quick, --only, --json, --svg, --markdown and --no-install', () => {
    const options = parseOptions([
      '--quick',
      '--only',
      'plan_10k_ms, resume_ms',
      '--json',
      'r.json',
      '--svg',
      'c.svg',
      '--markdown',
      'r.md',
      '--no-install',
    ]);
    assert.deepEqual(options, {
      quick: true,
      json: 'r.json',
      svg: 'c.svg',
      markdown: 'r.md',
      only: ['plan_10k_ms', 'resume_ms'],
      installPeers: false,
      help: false,
    });
    assert.throws(() => parseOptions(['--fast']), /Unknown option '--fast'/);
  });

  it('selects scenarios by key and names the unknown ones', () => {
    const all = [
      scenario('a', () => Promise.resolve({ rows: [] })),
      scenario('b', () => Promise.resolve({ rows: [] })),
    ];
    assert.deepEqual(
      selectScenarios(all, ['b']).map((s) => s.key),
      ['b'],
    );
    assert.deepEqual(
      selectScenarios(all, []).map((s) => s.key),
      ['a', 'b'],
    );
    assert.throws(() => selectScenarios(all, ['a', 'zz']), /unknown scenario zz; known: a, b/);
  });

  it('turns a failing scenario into an error row and still runs the next one', async () => {
    const report = await runScenarios(
      [
        scenario('broken', () => Promise.reject(new Error('no server'))),
        scenario('fine', () =>
          Promise.resolve({
            rows: [
              { key: 'fine', unit: 'ms', target: '—', baton: { median: 1, min: 1, max: 1, n: 1 } },
            ],
          }),
        ),
      ],
      { quick: true, peers: new Map(), log: () => undefined },
    );
    assert.deepEqual(
      report.rows.map((row) => [row.key, row.error]),
      [
        ['broken', 'no server'],
        ['fine', undefined],
      ],
    );
    assert.equal(report.quick, true);
  });
});
