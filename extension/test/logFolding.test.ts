import * as assert from 'node:assert/strict';
import { logFolds } from '../src/model/logFolding';
import { stageLogText } from '../src/model/stageLogText';

describe('stage log folding', () => {
  it('draws groups as ▼/▲ and folds each group and each attempt', () => {
    const text = stageLogText('Story #1 › fail', [
      { attempt: 1, offset: 0, size: 10, text: 'one\n[group] Checks\nc1\nc2\n[endgroup]\nbye\n' },
      { attempt: 2, offset: 0, size: 10, text: '::group::Again\nx\n' },
    ]);
    const lines = text.split('\n');
    assert.deepEqual(lines.slice(2, 10), [
      '──── attempt 1 ────',
      'one',
      '▼ Checks',
      'c1',
      'c2',
      '▲',
      'bye',
      '',
    ]);
    assert.deepEqual(logFolds(text), [
      { start: 2, end: 8 }, // attempt 1, up to its last line (not the blank after it)
      { start: 4, end: 7 }, // the group, up to its ▲
      { start: 10, end: 12 }, // attempt 2
      { start: 11, end: 12 }, // a group still open when its attempt ends
    ]);
  });

  it('folds nested groups inside their parent and ignores a ▲ without its ▼', () => {
    const text = ['──── attempt 1 ────', '▲', '▼ outer', '▼ inner', 'x', '▲', 'y', '▲'].join('\n');
    assert.deepEqual(logFolds(text), [
      { start: 0, end: 7 },
      { start: 2, end: 7 },
      { start: 3, end: 5 },
    ]);
  });

  it('has nothing to fold in a log without attempts or groups', () => {
    assert.deepEqual(logFolds('Story #1 › fail\n\nNot started: no output.'), []);
  });
});
