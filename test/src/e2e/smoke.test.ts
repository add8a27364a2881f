import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { repoRoot, useWorkbench } from '../harness';
import * as path from 'node:path';

const extensionDir = path.join(repoRoot, 'extension');

describe('smoke: the workbench in Chromium', () => {
  const workbench = useWorkbench();

  it('shows the fixture workspace in the Explorer', async () => {
    await workbench().waitForTreeRow('README.md');
  });

  it('filters a QuickPick by typing and picks an item', async () => {
    await (await workbench().waitForTreeRow('README.md')).click();
    await workbench().runCommand('Go to Line/Column');
    // Go to Line's filter starts with ':'; typing replaces the whole text.
    await workbench().typeInInputBox(':3', { submit: false });
    await workbench().pickQuickPickItem('Go to line 3');
    await workbench().waitForQuickInputClosed();
    await workbench().page.locator('.part.statusbar').getByText('Ln 3, Col 1').waitFor();
  });

  it('answers an InputBox', async () => {
    await workbench().runCommand('Snippets: Configure Snippets');
    await workbench().pickQuickPickItem('New Global Snippets file');
    await workbench().typeInInputBox('smoke');
    await workbench()
      .page.locator('.tabs-container .tab')
      .filter({ hasText: 'smoke.code-snippets' })
      .waitFor();
  });

  it('runs as the Extension Development Host', async () => {
    assert.match(await workbench().page.title(), /Extension Development Host/);
  });

  it('reads an output channel: the server loaded the extension under development', async () => {
    const output = await workbench().waitForOutput('Loading development extension at', 'Server');
    assert.ok(output.includes(extensionDir), `the Server log names ${extensionDir}:\n${output}`);
  });

  it('saves a screenshot into test-results/', async () => {
    const file = await workbench().screenshot('smoke-workbench');
    assert.ok(fs.statSync(file).size > 0, `${file} is empty`);
  });
});
