import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { BatonApi } from './batonHelpers';
import {
  activateBaton,
  copyFixturePipelines,
  runPipeline,
  until,
  waitForLog,
  waitForPipelines,
  waitForQuickInput,
  waitForRun,
} from './batonHelpers';

describe('Baton extension: a printed choice that takes other text', function () {
  this.timeout(60_000);
  let api: BatonApi;

  before(async () => {
    copyFixturePipelines(['soil']);
    api = await activateBaton();
    await waitForPipelines(api, ['soil']);
  });

  it('offers "Other…" after the options and answers with the text typed after it', async () => {
    const { summary } = await runPipeline(api, 'soil');
    const prompt = await until(
      () => api.store.run(summary.runId)?.prompts[0],
      'the stage to ask its question',
    );
    assert.equal(prompt.message, 'Pick [soil/water/ALL] (ALL):');
    assert.deepEqual(prompt.options, ['soil', 'water', 'ALL']);
    assert.equal(prompt.allowOther, true);
    const answering = vscode.commands.executeCommand(
      'baton.answerPrompt',
      summary.runId,
      prompt.promptId,
    );
    await waitForQuickInput(api);
    // The default (ALL) is the active row: one step down is Other….
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const box = await until(() => api.openInputBox(), 'the InputBox for other text');
    assert.equal(box.password, false);
    box.setValue('clay');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await answering;
    await waitForRun(api, summary.runId, 'succeeded');
    await waitForLog(api, summary.runId, '[pick] picked clay');
  });
});
