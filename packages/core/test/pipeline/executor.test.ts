import * as assert from 'node:assert/strict';
import { bullmqQueues } from '../../src/index';
import { itReportsEach, parseValid, stage, yaml } from './helpers';

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
});
