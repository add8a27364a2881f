import * as assert from 'node:assert/strict';
import { bullmqQueues } from '../../src/index';
import { itReportsEach, parse, parseValid, stage, yaml } from './helpers';

describe('pipeline: executor', () => {
  it('gives the top-level executor to every stage that names none; local stays local', () => {
    const pipeline = parseValid(
      yaml(
        'executor: { type: bullmq, queue: cpu }',
        'stages:',
        '  fetch: { run: ./fetch, executor: local }',
        '  train: { run: ./train, executor: { type: bullmq, queue: gpu } }',
        '  report: { run: ./report }',
      ),
    );
    assert.deepEqual(pipeline.executor, { type: 'bullmq', queue: 'cpu' });
    assert.deepEqual(
      pipeline.stages.map((s) => [s.id, s.executor]),
      [
        ['fetch', undefined],
        ['train', { type: 'bullmq', queue: 'gpu' }],
        ['report', { type: 'bullmq', queue: 'cpu' }],
      ],
    );
    assert.deepEqual(bullmqQueues(pipeline.stages), ['cpu', 'gpu']);
  });

  it('leaves the model as before when no executor is named, or only local', () => {
    const plain = parseValid(stage());
    assert.equal(plain.executor, undefined);
    assert.equal(plain.stages[0]?.executor, undefined);
    const local = parseValid(yaml('executor: { type: local }', 'stages:', '  a: { run: x }'));
    assert.equal(local.executor, undefined);
    assert.deepEqual(bullmqQueues(local.stages), []);
  });

  describe('mistakes', () => {
    itReportsEach([
      [
        'bullmq without a queue, as a word',
        stage('    executor: bullmq'),
        'missing-key',
        4,
        15,
        /bullmq needs a queue/,
      ],
      [
        'bullmq without a queue, as a mapping',
        stage('    executor: { type: bullmq }'),
        'missing-key',
        4,
        15,
        /needs queue: <name>/,
      ],
      [
        'an unknown executor type',
        stage('    executor: { type: bullmqq, queue: gpu }'),
        'unknown-executor',
        4,
        23,
        /unknown executor 'bullmqq'.*Did you mean "bullmq"/,
      ],
      [
        'a queue name with a colon',
        stage('    executor: { type: bullmq, queue: "a:b" }'),
        'bad-queue',
        4,
        38,
        /'a:b' is no queue name/,
      ],
      [
        'a queue on the local executor',
        stage('    executor: { type: local, queue: gpu }'),
        'unknown-key',
        4,
        30,
        /only a bullmq executor has a queue/,
      ],
      [
        'a list',
        yaml('executor: [local]', 'stages:', '  a: { run: x }'),
        'wrong-type',
        1,
        11,
        /expected local or \{ type: bullmq, queue: <name> \}/,
      ],
      [
        'a redis url in the file',
        stage('    executor: { type: bullmq, queue: gpu, redis: "redis://x" }'),
        'connection-in-pipeline',
        4,
        43,
        /--redis <url> or BATON_REDIS_URL/,
      ],
    ]);
  });

  describe('exact words and places', () => {
    /** Every diagnostic of `text`: code, line, column, end line, end column, message. */
    const found = (text: string) =>
      parse(text).diagnostics.map((d) => [
        d.code,
        d.line,
        d.column,
        d.endLine,
        d.endColumn,
        d.message,
      ]);
    const say =
      'the Redis connection is not part of a pipeline (a password would be committed with it); give it with --redis <url> or BATON_REDIS_URL.';

    it('says how to name a queue, at the top level and in a stage', () => {
      assert.deepEqual(found(yaml('executor: bullmq', 'stages:', '  a: { run: x }')), [
        [
          'missing-key',
          1,
          11,
          1,
          17,
          'executor: bullmq needs a queue; write executor: { type: bullmq, queue: <name> }.',
        ],
      ]);
      assert.deepEqual(found(stage('    executor: bullmq')), [
        [
          'missing-key',
          4,
          15,
          4,
          21,
          'stages.a.executor: bullmq needs a queue; write executor: { type: bullmq, queue: <name> }.',
        ],
      ]);
      assert.deepEqual(found(stage('    executor: { type: bullmq }')), [
        ['missing-key', 4, 15, 4, 31, 'stages.a.executor: a bullmq executor needs queue: <name>.'],
      ]);
      assert.deepEqual(found(stage('    executor: { queue: gpu }')), [
        [
          'missing-key',
          4,
          15,
          4,
          29,
          'stages.a.executor: say which executor with type: local or bullmq.',
        ],
      ]);
      assert.deepEqual(found(stage('    executor: { type: [x], queue: gpu }')), [
        [
          'unknown-executor',
          4,
          23,
          4,
          26,
          "stages.a.executor.type: unknown executor ''; expected local or bullmq.",
        ],
      ]);
      assert.deepEqual(found(stage('    executor: 5')), [
        [
          'wrong-type',
          4,
          15,
          4,
          16,
          'stages.a.executor: expected local or { type: bullmq, queue: <name> }, not the number 5.',
        ],
      ]);
      assert.deepEqual(found(stage('    executor: { type: local, queue: gpu }')), [
        [
          'unknown-key',
          4,
          30,
          4,
          35,
          'stages.a.executor.queue: only a bullmq executor has a queue.',
        ],
      ]);
    });

    it('wants the queue as a name of letters, digits, ".", "_" and "-", at most 100 long', () => {
      for (const queue of ['a', '9', '9.x_y-Z', `q${'a'.repeat(99)}`]) {
        const pipeline = parseValid(stage(`    executor: { type: bullmq, queue: "${queue}" }`));
        assert.deepEqual(pipeline.stages[0]?.executor, { type: 'bullmq', queue }, queue);
      }
      for (const queue of ['.a', '-a', '_a', 'a b', 'a:b', 'a/b', `q${'a'.repeat(100)}`, 'aé']) {
        assert.deepEqual(
          parse(stage(`    executor: { type: bullmq, queue: "${queue}" }`)).diagnostics.map((d) => [
            d.code,
            d.message,
          ]),
          [
            [
              'bad-queue',
              `stages.a.executor.queue: '${queue}' is no queue name; use letters, digits, '.', '_' and '-' (e.g. gpu).`,
            ],
          ],
          queue,
        );
      }
      for (const queue of ['5', '[a]', '{ a: b }']) {
        assert.deepEqual(
          parse(stage(`    executor: { type: bullmq, queue: ${queue} }`)).diagnostics.map((d) => [
            d.code,
            d.message,
          ]),
          [['wrong-type', 'stages.a.executor.queue: expected a queue name, e.g. gpu.']],
          queue,
        );
      }
    });

    it('refuses every Redis connection key, and only those are not also unknown keys', () => {
      assert.deepEqual(
        found(
          stage(
            '    executor: { type: bullmq, queue: gpu, url: u, connection: c, host: h, password: p, port: 1 }',
          ),
        ),
        [
          ['connection-in-pipeline', 4, 43, 4, 46, `stages.a.executor.url: ${say}`],
          ['connection-in-pipeline', 4, 51, 4, 61, `stages.a.executor.connection: ${say}`],
          ['connection-in-pipeline', 4, 66, 4, 70, `stages.a.executor.host: ${say}`],
          ['connection-in-pipeline', 4, 75, 4, 83, `stages.a.executor.password: ${say}`],
          [
            'unknown-key',
            4,
            88,
            4,
            92,
            'stages.a.executor: unknown key "port". Allowed here: type, queue.',
          ],
        ],
      );
      assert.deepEqual(
        found(yaml('executor: { type: local, redis: r }', 'stages:', '  a: { run: x }')),
        [['connection-in-pipeline', 1, 26, 1, 31, `executor.redis: ${say}`]],
      );
    });

    it('lists each queue once, sorted', () => {
      const pipeline = parseValid(
        yaml(
          'executor: { type: bullmq, queue: b }',
          'stages:',
          '  one: { run: x }',
          '  two: { run: x, executor: { type: bullmq, queue: a } }',
          '  three: { run: x }',
          '  four: { run: x, executor: { type: local } }',
        ),
      );
      assert.deepEqual(bullmqQueues(pipeline.stages), ['a', 'b']);
      assert.equal(pipeline.stages[3]?.executor, undefined);
    });
  });
});
