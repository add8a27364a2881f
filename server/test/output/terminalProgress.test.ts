import assert from 'node:assert/strict';
import { extractOscProgress, parseProgressBar } from '../../src/output/terminalProgress';

describe('OSC 9;4 progress', () => {
  it('strips the sequence (BEL or ST terminated) and reports its percentage', () => {
    assert.deepEqual(extractOscProgress('before\x1b]9;4;1;42\x07after'), {
      text: 'beforeafter',
      progress: { percent: 42 },
      found: true,
    });
    assert.deepEqual(extractOscProgress('\x1b]9;4;2;80\x1b\\'), {
      text: '',
      progress: { percent: 80 },
      found: true,
    });
  });

  it('lets the last sequence win; 3 is indeterminate and 0 clears', () => {
    assert.deepEqual(extractOscProgress('\x1b]9;4;1;10\x07\x1b]9;4;3\x07'), {
      text: '',
      progress: {},
      found: true,
    });
    assert.deepEqual(extractOscProgress('x\x1b]9;4;0;0\x07'), { text: 'x', found: true });
  });

  it('leaves other escape sequences and plain text alone', () => {
    const link = '\x1b]8;;http://x\x07link\x1b]8;;\x07';
    assert.deepEqual(extractOscProgress(link), { text: link, found: false });
    assert.deepEqual(extractOscProgress('\x1b]9;4;1;50'), { text: '\x1b]9;4;1;50', found: false });
  });
});

describe('progress bars', () => {
  it('reads a tqdm bar with its description and counts', () => {
    assert.deepEqual(
      parseProgressBar('Translating:  45%|████▌     | 45/100 [00:04<00:05, 10.00it/s]', true),
      {
        percent: 45,
        value: 45,
        total: 100,
        message: 'Translating',
      },
    );
    assert.deepEqual(parseProgressBar(' 100%|██████████| 2.00k/2.00k [00:01<00:00]', false), {
      percent: 100,
      value: 2000,
      total: 2000,
    });
    assert.deepEqual(parseProgressBar('7%|7', false), { percent: 7 });
  });

  it('reads a bare counter only on carriage-return updates', () => {
    assert.deepEqual(parseProgressBar('file 3/10', true), {
      percent: 30,
      value: 3,
      total: 10,
      message: 'file 3/10',
    });
    assert.equal(parseProgressBar('file 3/10', false), undefined);
    assert.equal(parseProgressBar('date 11/10', true), undefined);
    assert.equal(parseProgressBar('ratio 1/0', true), undefined);
    assert.equal(parseProgressBar('path a/b', true), undefined);
  });

  it('ignores percentages that are not bars', () => {
    assert.equal(parseProgressBar('coverage 45%', false), undefined);
    assert.equal(parseProgressBar('900%|', false), undefined);
  });
});
