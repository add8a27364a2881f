import * as assert from 'node:assert/strict';
import { diagnosticRows, yaml } from './helpers';

describe('pipeline: each mistake in the schedule and the top level, whole', () => {
  it('wants a schedule to be a cron text or a mapping', () => {
    const text = yaml('schedule: [x]', 'stages:', '  a: { run: x }');
    assert.deepEqual(diagnosticRows(text), [
      [
        'error',
        'wrong-type',
        1,
        11,
        1,
        14,
        'schedule: expected a mapping of names to values, got a list.',
      ],
    ]);
  });
  it('wants a schedule mapping to hold cron', () => {
    const text = yaml('schedule: { overlap: queue }', 'stages:', '  a: { run: x }');
    assert.deepEqual(diagnosticRows(text), [
      [
        'error',
        'missing-key',
        1,
        11,
        1,
        29,
        'schedule: "cron" is missing, e.g. cron: "0 2 * * *" for 02:00 every day.',
      ],
    ]);
  });
  it('checks overlap, time zone and keys of a schedule', () => {
    const text = yaml(
      'schedule: { cron: "0 2 * * *", overlap: skp, timezone: Mars/Base, extra: 1 }',
      'stages:',
      '  a: { run: x }',
    );
    assert.deepEqual(diagnosticRows(text), [
      [
        'error',
        'bad-value',
        1,
        41,
        1,
        44,
        'schedule.overlap: "skp" is not an overlap policy; use skip, queue, cancel-running. Did you mean "skip"?',
        { find: 'skp', replaceWith: 'skip' },
      ],
      [
        'error',
        'bad-timezone',
        1,
        56,
        1,
        65,
        'schedule.timezone: "Mars/Base" is not a known IANA time zone, e.g. Europe/Berlin or America/New_York.',
      ],
      [
        'error',
        'unknown-key',
        1,
        67,
        1,
        72,
        'schedule: unknown key "extra". Allowed here: cron, overlap, timezone.',
      ],
    ]);
  });
  it('checks the cron expression', () => {
    const text = yaml('schedule: { cron: "0 2 * *" }', 'stages:', '  a: { run: x }');
    assert.deepEqual(diagnosticRows(text), [
      [
        'error',
        'bad-cron',
        1,
        19,
        1,
        28,
        'schedule.cron: "0 2 * *" is not a valid cron expression: a cron expression has 5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first; this one has 4.',
      ],
    ]);
  });
  it('reads a cron written as a number as its text', () => {
    const text = yaml('schedule: { cron: 5 }', 'stages:', '  a: { run: x }');
    assert.deepEqual(diagnosticRows(text), [
      [
        'error',
        'bad-cron',
        1,
        19,
        1,
        20,
        'schedule.cron: "5" is not a valid cron expression: a cron expression has 5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first; this one has 1.',
      ],
    ]);
  });
  it('wants cron, overlap and time zone as texts', () => {
    const text = yaml(
      'schedule: { cron: [x], overlap: [y], timezone: [z] }',
      'stages:',
      '  a: { run: x }',
    );
    assert.deepEqual(diagnosticRows(text), [
      ['error', 'wrong-type', 1, 19, 1, 22, 'schedule.cron: expected text, got a list.'],
      ['error', 'wrong-type', 1, 33, 1, 36, 'schedule.overlap: expected text, got a list.'],
      ['error', 'wrong-type', 1, 48, 1, 51, 'schedule.timezone: expected text, got a list.'],
    ]);
  });
  it('checks the top-level texts and concurrency', () => {
    const text = yaml(
      'name: [x]',
      'description: 5',
      'concurrency: 0',
      'env_file: [x]',
      'stages:',
      '  a: { run: x }',
    );
    assert.deepEqual(diagnosticRows(text), [
      ['error', 'wrong-type', 1, 7, 1, 10, 'name: expected text, got a list.'],
      ['error', 'out-of-range', 3, 14, 3, 15, 'concurrency: 0 is out of range; use 1 to 10000.'],
      ['error', 'wrong-type', 4, 11, 4, 14, 'env_file: expected text, got a list.'],
    ]);
  });
  it('caps concurrency at 10000', () => {
    const text = yaml('concurrency: 10001', 'stages:', '  a: { run: x }');
    assert.deepEqual(diagnosticRows(text), [
      [
        'error',
        'out-of-range',
        1,
        14,
        1,
        19,
        'concurrency: 10001 is out of range; use 1 to 10000.',
      ],
    ]);
  });
  it('wants the file to be a mapping', () => {
    const text = yaml('- a');
    assert.deepEqual(diagnosticRows(text), [
      [
        'error',
        'wrong-type',
        1,
        1,
        2,
        1,
        'A pipeline file must be a mapping with "stages" (and optionally name, inputs, …), not a list.',
      ],
    ]);
  });
  it('wants stages, and says so at the first key', () => {
    const text = yaml('nmae: x');
    assert.deepEqual(diagnosticRows(text), [
      [
        'error',
        'unknown-key',
        1,
        1,
        1,
        5,
        'top level: unknown key "nmae". Did you mean "name"?',
        { find: 'nmae', replaceWith: 'name' },
      ],
      ['error', 'missing-key', 1, 1, 1, 5, 'The pipeline has no "stages"; add at least one stage.'],
    ]);
  });
  it('wants stages in an empty mapping too', () => {
    const text = yaml('{}');
    assert.deepEqual(diagnosticRows(text), [
      ['error', 'missing-key', 1, 1, 1, 3, 'The pipeline has no "stages"; add at least one stage.'],
    ]);
  });
  it('says a file with only a comment is empty', () => {
    const text = yaml('# c');
    assert.deepEqual(diagnosticRows(text), [
      ['error', 'empty-file', 1, 1, 1, 1, 'The file is empty; a pipeline needs at least "stages".'],
    ]);
  });
});
