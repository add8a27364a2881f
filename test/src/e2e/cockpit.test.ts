import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  activeWebview,
  docScreenshot,
  normaliseRenderedText as normalise,
  repoRoot,
  useWorkbench,
} from '../harness';

/** A stage of a fixture pipeline takes well under this; a cold server start too. */
const RUN_TIMEOUT_MS = 30_000;

describe('Baton cockpit in the browser', () => {
  const workbench = useWorkbench({ fixture: 'workspace-extension' });

  it('notifies a failed run; Show Graph on its row draws its stages coloured by status', async () => {
    // The Story pipeline joins the workspace now; the server sees the new file.
    fs.copyFileSync(
      path.join(repoRoot, 'test', 'fixtures', 'pipelines-cockpit', 'story.pipeline.yaml'),
      path.join(workbench().workspace, 'story.pipeline.yaml'),
    );
    // Open the Baton view and wait for the server's pipelines, so the commands are ready.
    await workbench().page.locator('.part.activitybar [aria-label^="Baton"]').first().click();
    await workbench()
      .page.locator('.pane .monaco-list-row', { hasText: 'Story' })
      .first()
      .waitFor({ timeout: RUN_TIMEOUT_MS });
    await workbench().runCommand('Baton: Run Pipeline');
    await workbench().typeInInputBox('Story', { submit: false });
    await workbench().pickQuickPickItem('Story');
    await workbench().waitForQuickInputClosed();
    const toast = await workbench().waitForNotification('failed', RUN_TIMEOUT_MS);
    assert.match(normalise(await toast.innerText()), /Story #\d+ failed/);
    await docScreenshot(workbench(), 'run-failed-notification');
    // The run row's inline Show Graph button (the notice shows its first two buttons only).
    const runRow = workbench()
      .page.locator('.pane .monaco-list-row', { hasText: /Story #\d+/ })
      .first();
    await runRow.hover();
    await runRow.locator('.action-label[aria-label="Show Graph"]').click();
    const graph = activeWebview(workbench());
    await graph.locator('.node.tone-failed').waitFor({ timeout: RUN_TIMEOUT_MS });
    await graph.locator('.node.tone-succeeded').waitFor({ timeout: RUN_TIMEOUT_MS });
    assert.match(await graph.locator('#title').innerText(), /^Story #\d+$/);
    await docScreenshot(workbench(), 'graph-light');
  });

  it('offers Retry Stage, Run This Stage and Run From Here on a box’s right-click menu', async () => {
    const graph = activeWebview(workbench());
    await graph.locator('.node.tone-failed').click({ button: 'right' });
    const menu = workbench().page.locator('.context-view .monaco-menu');
    for (const entry of ['Retry Stage', 'Run This Stage', 'Run From Here', 'Show Stage Log'])
      await menu
        .locator('.action-label', { hasText: entry })
        .first()
        .waitFor({ timeout: RUN_TIMEOUT_MS });
    await docScreenshot(workbench(), 'graph-context-menu');
    await workbench().page.keyboard.press('Escape');
  });

  it('opens a stage’s own log from its box, with the keyboard', async () => {
    const graph = activeWebview(workbench());
    await graph.locator('.node.tone-failed').focus();
    await graph.locator('.node.tone-failed').press('Enter');
    const editor = workbench().page.locator('.editor-instance .view-lines');
    await editor.filter({ hasText: 'about to fail' }).first().waitFor({ timeout: RUN_TIMEOUT_MS });
    const shown = normalise(await editor.first().innerText());
    assert.match(shown, /attempt 1/);
    // Its group is drawn as a section and folds: the editor has folding controls for it.
    assert.match(shown, /▼ Checks/);
    const folds = workbench().page.locator('.editor-instance .margin .codicon-folding-expanded');
    await folds.first().waitFor({ state: 'attached', timeout: RUN_TIMEOUT_MS });
    assert.ok((await folds.count()) >= 2, 'the attempt and the group fold');
    // Coloured by its grammar (loaded on first use): the attempt rule and the warning are not plain text.
    for (const text of ['attempt 1', 'check two is flaky'])
      await editor
        .locator('span[class*="mtk"]:not(.mtk1)', { hasText: text })
        .first()
        .waitFor({ timeout: RUN_TIMEOUT_MS });
    await docScreenshot(workbench(), 'stage-log');
  });

  it('renders the run summary as Markdown', async () => {
    await workbench().runCommand('Baton: Show Summary');
    await workbench().typeInInputBox('Story', { submit: false });
    await workbench().pickQuickPickItem('Story');
    await workbench().waitForQuickInputClosed();
    const preview = activeWebview(workbench());
    await preview.locator('h2', { hasText: 'Results' }).waitFor({ timeout: RUN_TIMEOUT_MS });
    assert.equal(await preview.locator('strong', { hasText: 'good' }).count(), 1);
    await docScreenshot(workbench(), 'summary');
  });

  it('draws the graph in a dark theme too', async () => {
    // The run row's Show Graph reveals the run's graph panel again.
    const runRow = workbench()
      .page.locator('.pane .monaco-list-row', { hasText: /Story #\d+/ })
      .first();
    await runRow.hover();
    await runRow.locator('.action-label[aria-label="Show Graph"]').click();
    await activeWebview(workbench())
      .locator('.node.tone-failed')
      .waitFor({ timeout: RUN_TIMEOUT_MS });
    // Take the keyboard focus out of the webview's frame, so the palette opens.
    await workbench().page.locator('.part.sidebar .title-label').first().click();
    await workbench().runCommand('Preferences: Toggle between Light/Dark Themes');
    await workbench()
      .page.locator('.monaco-workbench.vs-dark')
      .waitFor({ timeout: RUN_TIMEOUT_MS });
    const graph = activeWebview(workbench());
    await graph.locator('.node.tone-failed').waitFor({ timeout: RUN_TIMEOUT_MS });
    await docScreenshot(workbench(), 'graph-dark');
  });
});
