import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  activateBaton,
  EXTENSION_ID,
  runPipeline,
  waitForLog,
  waitForPipelines,
  waitForRun,
} from '../integration/batonHelpers';

describe('Baton installed from its .vsix', function () {
  this.timeout(60_000);

  it('is the installed copy, not the repository folder', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    const installed = extension.extensionPath;
    assert.equal(path.basename(path.dirname(installed)), 'extensions', installed);
    assert.match(path.basename(installed), /^baton\.baton-vscode-\d/);
  });

  it('starts its bundled server and runs a pipeline of the workspace', async () => {
    const api = await activateBaton();
    await waitForPipelines(api, ['hello']);
    const { summary } = await runPipeline(api, 'hello');
    await waitForRun(api, summary.runId, 'succeeded');
    const log = await waitForLog(api, summary.runId, '[count] line 3');
    assert.match(log, /^\[greet\] hello from baton$/m);
  });
});
