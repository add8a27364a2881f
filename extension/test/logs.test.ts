import * as assert from 'node:assert/strict';
import { RUN_LOG_STAGE } from '@baton/protocol';
import { LogCursor } from '../src/model/logCursor';
import { RunLogFormatter, formatLine, runChannelName } from '../src/model/logFormat';

describe('RunLogFormatter', () => {
  it('prefixes whole lines with the stage and holds back a partial line', () => {
    const f = new RunLogFormatter();
    assert.equal(f.append('build', 'one\ntw'), '[build] one\n');
    assert.equal(f.append('test', 'x\n'), '[test] x\n');
    assert.equal(f.append('build', 'o\r\nthree'), '[build] two\n');
    assert.equal(f.flush('build'), '[build] three\n');
    assert.equal(f.flush('build'), '');
  });

  it("shows the run's own notes among the stages' lines, without a stage prefix", () => {
    const f = new RunLogFormatter();
    assert.equal(f.append('build', 'one\n'), '[build] one\n');
    assert.equal(
      f.append(RUN_LOG_STAGE, '[baton] input `version`: answered `v1.2` in the editor\n'),
      '[baton] input `version`: answered `v1.2` in the editor\n',
    );
  });

  it('keeps only the last state of a line redrawn with carriage returns', () => {
    assert.equal(formatLine('s', ' 10%\r 50%\r100%'), '[s] 100%\n');
  });

  it('draws group markers, as the server logs them and as raw commands', () => {
    assert.equal(formatLine('s', '[group] Install'), '[s] ▼ Install\n');
    assert.equal(formatLine('s', '[endgroup]'), '[s] ▲\n');
    assert.equal(formatLine('s', '::group::Install'), '[s] ▼ Install\n');
    assert.equal(formatLine('s', '::endgroup::'), '[s] ▲\n');
  });

  it('names a run channel after the run label, short enough not to be cut', () => {
    const run = { pipelineName: 'Review', runId: '20260121-101500-000-a1b2' };
    assert.equal(runChannelName({ ...run, number: 14 }), 'Baton: Review #14');
    assert.equal(
      runChannelName({ ...run, number: 14, changedInputs: { pillars: 'ALL' } }),
      'Baton: Review #14 · pillars=ALL',
    );
    const long = runChannelName({
      ...run,
      number: 14,
      changedInputs: { topic: 'x'.repeat(80) },
    });
    assert.ok(long.length <= 'Baton: '.length + 40, long);
    assert.match(long, /^Baton: Review #14 · topic=x+…$/);
    assert.equal(runChannelName(run), 'Baton: Review ·a1b2');
  });
});

describe('LogCursor', () => {
  it('shows new text, skips what was shown and reports gaps in bytes', () => {
    const cursor = new LogCursor();
    assert.deepEqual(cursor.accept('s', 1, 0, 'héllo\n'), { kind: 'show', text: 'héllo\n' });
    assert.equal(cursor.position('s', 1), 7);
    assert.deepEqual(cursor.accept('s', 1, 0, 'héllo\n'), { kind: 'seen' });
    assert.deepEqual(cursor.accept('s', 1, 3, 'llo\nworld\n'), { kind: 'show', text: 'world\n' });
    assert.deepEqual(cursor.accept('s', 1, 20, 'later'), { kind: 'gap', from: 13, to: 20 });
    assert.equal(cursor.position('s', 2), 0);
  });

  it('skips an unread gap once, never moving back', () => {
    const cursor = new LogCursor();
    cursor.accept('s', 1, 0, 'one\n');
    cursor.skipTo('s', 1, 4096);
    assert.deepEqual(cursor.accept('s', 1, 4096, 'newest\n'), { kind: 'show', text: 'newest\n' });
    cursor.skipTo('s', 1, 10);
    assert.equal(cursor.position('s', 1), 4103);
  });
});
