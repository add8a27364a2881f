import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Progress } from '@baton/core';
import { watchStageFiles, type StageWatch } from '../../src/engine/attempt/watchFiles';
import { waitFor } from '../helpers/waitFor';
import { makeTempDir } from '../store/helpers';

type Delivered = { readonly text: string } | { readonly progress: Progress };

describe('watchStageFiles', () => {
  let dir: string;
  let cleanup: () => void;
  let watch: StageWatch | undefined;
  let delivered: Delivered[];

  beforeEach(async () => {
    ({ dir, cleanup } = makeTempDir('baton-watch-'));
    await fs.mkdir(path.join(dir, 'status'));
    delivered = [];
    watch = watchStageFiles(
      ['status/*.log'],
      dir,
      (text) => delivered.push({ text }),
      (progress) => delivered.push({ progress }),
    );
    await watch.ready;
  });

  afterEach(async () => {
    await watch?.stop();
    watch = undefined;
    cleanup();
  });

  const logged = (): string => delivered.map((item) => ('text' in item ? item.text : '')).join('');

  it('hands the lines of one write over as one piece of text, not one per line', async () => {
    let written = '';
    let expected = '';
    for (let line = 0; line < 200; line++) {
      written += `line ${line} é\n`;
      expected += `[status/a.log] line ${line} é\n`;
    }
    await fs.appendFile(path.join(dir, 'status/a.log'), written);
    await waitFor('every line', () => logged() === expected);
    assert.ok(delivered.length < 20, `${delivered.length} pieces for 200 lines`);
  });

  it('keeps progress in its place between the lines around it', async () => {
    await fs.appendFile(
      path.join(dir, 'status/a.log'),
      'before\n{"progress": 50, "message": "half"}\nafter\nlast\n',
    );
    await waitFor('the last line', () => logged().endsWith('last\n'));
    assert.deepEqual(delivered, [
      { text: '[status/a.log] before\n' },
      { progress: { percent: 50, message: 'half' } },
      { text: '[status/a.log] half\n[status/a.log] after\n[status/a.log] last\n' },
    ]);
  });

  it('delivers an unfinished last line when stopped, before stop settles', async () => {
    await fs.appendFile(path.join(dir, 'status/a.log'), 'done\nno newline');
    await waitFor('the first line', () => logged() === '[status/a.log] done\n');
    await watch?.stop();
    assert.equal(logged(), '[status/a.log] done\n[status/a.log] no newline\n');
  });
});
