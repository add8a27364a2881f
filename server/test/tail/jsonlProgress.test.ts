import * as assert from 'node:assert/strict';
import { parseJsonlProgress } from '../../src/tail/jsonlProgress';

describe('parseJsonlProgress', () => {
  it('reads percent, value/total and messages', () => {
    assert.deepEqual(parseJsonlProgress('{"progress": 42}'), { progress: { percent: 42 } });
    assert.deepEqual(
      parseJsonlProgress('{"progress": {"value": 3, "total": 12, "message": "file 3"}}'),
      {
        progress: { percent: 25, value: 3, total: 12, message: 'file 3' },
      },
    );
    assert.deepEqual(
      parseJsonlProgress('{"progress": {"percent": 30}, "message": "halfway-ish"}'),
      {
        progress: { percent: 30, message: 'halfway-ish' },
        message: 'halfway-ish',
      },
    );
    assert.deepEqual(parseJsonlProgress(' {"message": "just saying"} '), {
      message: 'just saying',
    });
  });

  it('clamps percent to 0..100 and ignores a zero total', () => {
    assert.deepEqual(parseJsonlProgress('{"progress": 250}'), { progress: { percent: 100 } });
    assert.deepEqual(parseJsonlProgress('{"progress": {"value": 5, "total": 0}}'), {
      progress: { value: 5, total: 0 },
    });
  });

  it('leaves other lines alone', () => {
    for (const line of [
      'plain text',
      '{"loss": 0.1}',
      '[1, 2]',
      '{"progress": "lots"}',
      '{"progress": {}}',
      '{broken',
      '{"progress": null}',
      'null',
    ]) {
      assert.equal(parseJsonlProgress(line), undefined, line);
    }
  });
});
