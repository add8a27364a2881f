import * as assert from 'node:assert/strict';
import { ServerMirror } from '../src/model/serverMirror';
import { StageTails, TAIL_LINES } from '../src/model/stageTails';
import { RunTreeModel } from '../src/model/treeModel';
import { snapshot, stage } from './builders';

describe('StageTails', () => {
  it('keeps the last lines of the latest attempt, across chunk boundaries', () => {
    const tails = new StageTails();
    tails.append('r1', 's', 1, 'one\ntw');
    tails.append('r1', 's', 1, 'o\n\nthree 10%\rthree 100%\n');
    assert.deepEqual(tails.lines('r1', 's'), ['one', 'two', 'three 100%']);
    for (let i = 0; i < 20; i += 1) tails.append('r1', 's', 1, `line ${i}\n`);
    assert.equal(tails.lines('r1', 's').length, TAIL_LINES);
    assert.equal(tails.lines('r1', 's').at(-1), 'line 19');
    tails.append('r1', 's', 2, 'again');
    assert.deepEqual(tails.lines('r1', 's'), ['again'], 'a new attempt starts afresh');
    tails.append('r1', 's', 1, 'late\n');
    assert.deepEqual(tails.lines('r1', 's'), ['again'], 'an older attempt is ignored');
  });

  it('shows a failed stage its last lines in its tooltip', () => {
    const store = new ServerMirror();
    store.setSnapshot(
      snapshot({
        status: 'failed',
        stages: [stage('t', { status: 'failed', attempt: 1, exitCode: 1 })],
      }),
    );
    store.tails.append(
      'r1',
      't',
      1,
      'Traceback (most recent call last):\nValueError: bad *input*\n',
    );
    const tooltip = new RunTreeModel(store).describe(
      { kind: 'stage', runId: 'r1', stageId: 't' },
      0,
    )?.tooltip;
    assert.match(
      tooltip ?? '',
      /Its last lines:\s+```text\nTraceback \(most recent call last\):\nValueError: bad \*input\*\n```/,
    );
  });
});
