import * as assert from 'node:assert/strict';
import { ServerMirror } from '../src/model/serverMirror';
import { pipelineChoices } from '../src/model/pipelineChoices';
import { promptNotice } from '../src/model/promptNotice';
import { escapeMarkdown, inlineCode, workspaceRelative } from '../src/model/markdown';
import { pipeline, prompt, summary } from './builders';

describe('promptNotice', () => {
  it('offers Yes and No for a confirm, marking the default', () => {
    const notice = promptNotice('Review #3', prompt({ type: 'confirm', default: false }), 0);
    assert.equal(notice.headline, 'Review #3 › deploy asks: Overwrite the results?');
    assert.deepEqual(notice.buttons, [
      { label: 'Yes', value: true },
      { label: 'No (default)', value: false },
    ]);
    assert.equal(notice.timeLeft, undefined);
    assert.equal(notice.text, notice.headline);
  });

  it('offers up to three options as buttons, else Answer…, and says the time left', () => {
    const three = prompt({
      type: 'choice',
      options: ['a', 'b', 'c'],
      default: 'b',
      deadline: 65_000,
    });
    const notice = promptNotice('Review #3', three, 0);
    assert.deepEqual(
      notice.buttons.map((b) => b.label),
      ['a', 'b (default)', 'c'],
    );
    assert.equal(notice.timeLeft, '1m 05s left');
    // A message is not redrawn: the clock time it runs out keeps the text true.
    assert.match(notice.text, /asks: .* · 1m 05s left, until \d\d:\d\d:\d\d$/);
    const four = prompt({ type: 'choice', options: ['a', 'b', 'c', 'd'] });
    assert.deepEqual(promptNotice('R', four, 0).buttons, [{ label: 'Answer…' }]);
    const other = prompt({ type: 'choice', options: ['a'], allowOther: true });
    assert.deepEqual(promptNotice('R', other, 0).buttons, [{ label: 'Answer…' }]);
    assert.deepEqual(promptNotice('R', prompt({ type: 'text' }), 0).buttons, [
      { label: 'Answer…' },
    ]);
  });
});

describe('pipelineChoices', () => {
  it('lists recently run pipelines first, then the others, then the invalid ones marked', () => {
    const store = new ServerMirror();
    const problem = {
      file: '/ws/c.pipeline.yaml',
      line: 3,
      column: 1,
      severity: 'error' as const,
      code: 'x',
      message: 'bad',
    };
    store.setPipelines([
      pipeline({ id: 'a', name: 'Alpha' }),
      pipeline({ id: 'b', name: 'Beta' }),
      pipeline({ id: 'c', name: 'Gamma', valid: false, diagnostics: [problem, problem] }),
    ]);
    store.addSummaries([summary({ runId: 'r1', pipeline: 'b' })]);
    const rows = pipelineChoices(store, false).map((row) =>
      'separator' in row ? `-- ${row.separator}` : `${row.label} | ${row.description ?? ''}`,
    );
    assert.deepEqual(rows, [
      '-- Recently run',
      '$(list-tree) Beta | 2 stages',
      '-- Other pipelines',
      '$(list-tree) Alpha | 2 stages',
      '-- Invalid (fix the file to run them)',
      '$(error) Gamma | cannot run: 2 problems',
    ]);
    assert.equal(
      pipelineChoices(store, true).some((row) => 'pipeline' in row && !row.pipeline.valid),
      false,
    );
  });
});

describe('markdown helpers', () => {
  it('escapes what a stage wrote and shows paths relative to the workspace', () => {
    assert.equal(escapeMarkdown('a *b* [c](d)'), 'a \\*b\\* \\[c\\]\\(d\\)');
    assert.equal(inlineCode('x`y'), '``x`y``');
    assert.equal(workspaceRelative('/ws/a/b.yaml', ['/other', '/ws/']), 'a/b.yaml');
    assert.equal(workspaceRelative('/wsx/b.yaml', ['/ws']), '/wsx/b.yaml');
    assert.equal(workspaceRelative('C:\\ws\\b.yaml', ['C:\\ws']), 'b.yaml');
  });
});
