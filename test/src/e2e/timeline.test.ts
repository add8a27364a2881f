import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import type { Workbench } from '../harness';
import { normaliseRenderedText as normalise, repoRoot, useWorkbench } from '../harness';

/** A stage of a fixture pipeline takes well under this; a cold server start too. */
const RUN_TIMEOUT_MS = 30_000;

/** Saves a screenshot for docs/extension.md (test-results/, and docs/images/ when missing or asked). */
async function docScreenshot(workbench: Workbench, name: string): Promise<void> {
  const shot = await workbench.screenshot(name);
  const target = path.join(repoRoot, 'docs', 'images', `${name}.png`);
  if (!fs.existsSync(target) || process.env['BATON_UPDATE_SCREENSHOTS'] === '1') {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(shot, target);
  }
}

/** The content frame of the webview whose tab is active (VS Code nests it in two iframes). */
function activeWebview(workbench: Workbench): FrameLocator {
  return workbench.page
    .frameLocator('iframe.webview.ready:visible')
    .last()
    .frameLocator('iframe#active-frame');
}

describe('Run timeline in the browser', () => {
  const workbench = useWorkbench({ fixture: 'workspace-extension' });

  it('Show Timeline from the palette draws a retry as a second bar, live; Enter opens an attempt; the graph opens it too; light and dark', async () => {
    fs.copyFileSync(
      path.join(repoRoot, 'test', 'fixtures', 'pipelines-cockpit', 'retry.pipeline.yaml'),
      path.join(workbench().workspace, 'retry.pipeline.yaml'),
    );
    await workbench().page.locator('.part.activitybar [aria-label^="Baton"]').first().click();
    await workbench()
      .page.locator('.pane .monaco-list-row', { hasText: 'Retry' })
      .first()
      .waitFor({ timeout: RUN_TIMEOUT_MS });
    await workbench().runCommand('Baton: Run Pipeline');
    await workbench().typeInInputBox('Retry', { submit: false });
    await workbench().pickQuickPickItem('Retry');
    await workbench().waitForQuickInputClosed();
    // Opened while the run goes on: the bars grow and the retry appears live.
    await workbench().runCommand('Baton: Show Timeline');
    await workbench().typeInInputBox('Retry', { submit: false });
    await workbench().pickQuickPickItem('Retry');
    await workbench().waitForQuickInputClosed();
    const timeline = activeWebview(workbench());
    await timeline.locator('.bar.end-failed').waitFor({ timeout: RUN_TIMEOUT_MS });
    await timeline
      .locator('.row', { hasText: 'report' })
      .locator('.bar.end-succeeded')
      .waitFor({ timeout: RUN_TIMEOUT_MS });
    assert.match(await timeline.locator('#title').innerText(), /^Retry #\d+$/);
    const flaky = timeline.locator('.row', { hasText: 'flaky' });
    assert.equal(await flaky.locator('.bar').count(), 2, 'two attempts on the flaky row');
    assert.equal(await flaky.locator('.bar.end-succeeded .phase-backoff').count(), 1);
    const inputs = timeline.locator('.row', { hasText: 'ask' }).locator('.phase-input');
    assert.ok((await inputs.count()) >= 1, 'ask waited for its answer');
    assert.equal(await timeline.locator('.bar .phase-pool').count(), 1, 'one waited for the pool');
    await docScreenshot(workbench(), 'timeline-light');
    // The keyboard: into the rows, down to flaky, right to its second bar, Enter opens that attempt.
    await timeline.locator('#rows').focus();
    for (const key of ['ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowRight'])
      await timeline.locator('#rows').press(key);
    await timeline.locator('#rows').press('Enter');
    const editor = workbench().page.locator('.editor-instance .view-lines');
    await editor.filter({ hasText: 'recovered' }).first().waitFor({ timeout: RUN_TIMEOUT_MS });
    assert.match(normalise(await editor.first().innerText()), /attempt 2/);
    // Back to the timeline through the run's graph, then in a dark theme.
    const runRow = workbench()
      .page.locator('.pane .monaco-list-row', { hasText: /Retry #\d+/ })
      .first();
    await runRow.hover();
    await runRow.locator('.action-label[aria-label="Show Graph"]').click();
    await activeWebview(workbench()).locator('#timeline').click();
    await activeWebview(workbench())
      .locator('.bar.end-failed')
      .waitFor({ timeout: RUN_TIMEOUT_MS });
    await workbench().page.locator('.part.sidebar .title-label').first().click();
    await workbench().runCommand('Preferences: Toggle between Light/Dark Themes');
    await workbench()
      .page.locator('.monaco-workbench.vs-dark')
      .waitFor({ timeout: RUN_TIMEOUT_MS });
    await activeWebview(workbench())
      .locator('.bar.end-failed')
      .waitFor({ timeout: RUN_TIMEOUT_MS });
    await docScreenshot(workbench(), 'timeline-dark');
  });
});
