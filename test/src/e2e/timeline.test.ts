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

  it('folds 400 items of a fanned-out stage into one row; unfolded, only the rows in sight are drawn', async () => {
    fs.copyFileSync(
      path.join(repoRoot, 'test', 'fixtures', 'pipelines-cockpit', 'fanout.pipeline.yaml'),
      path.join(workbench().workspace, 'fanout.pipeline.yaml'),
    );
    // Open the Baton view unless it is open (a click on its icon would close it).
    if (
      !(await workbench().page.locator('.part.sidebar .pane .monaco-list-row').first().isVisible())
    )
      await workbench().page.locator('.part.activitybar [aria-label^="Baton"]').first().click();
    await workbench()
      .page.locator('.pane .monaco-list-row', { hasText: 'Fanout' })
      .first()
      .waitFor({ timeout: RUN_TIMEOUT_MS });
    await workbench().page.locator('.part.sidebar .title-label').first().click();
    await workbench().runCommand('Baton: Run Pipeline');
    await workbench().typeInInputBox('Fanout', { submit: false });
    await workbench().pickQuickPickItem('Fanout');
    await workbench().waitForQuickInputClosed();
    // 400 stages keep the window busy while they run: the picker is used once they are done.
    await workbench()
      .page.locator('.pane .monaco-list-row', { hasText: /Fanout #\d+.*succeeded/ })
      .first()
      .waitFor({ timeout: 4 * RUN_TIMEOUT_MS });
    await workbench().runCommand('Baton: Show Timeline');
    await workbench().typeInInputBox('Fanout', { submit: false });
    await workbench().pickQuickPickItem('Fanout');
    await workbench().waitForQuickInputClosed();
    const timeline = activeWebview(workbench());
    const group = timeline.locator('.row-group', { hasText: '400 succeeded' });
    await group.waitFor({ timeout: 4 * RUN_TIMEOUT_MS });
    assert.equal(await timeline.locator('.row-unit').count(), 0, 'folded by default');
    await group.locator('.label').click();
    await timeline.locator('.row-unit').first().waitFor({ timeout: RUN_TIMEOUT_MS });
    const drawn = await timeline.locator('.row').count();
    assert.ok(drawn < 100, `only the rows in sight are in the page (${drawn} of 402)`);
    await docScreenshot(workbench(), 'timeline-fanout');
    // Scrolled to the end, the last items are drawn.
    await timeline.locator('#rows').evaluate((rows) => (rows.scrollTop = rows.scrollHeight));
    await timeline
      .locator('.row-unit .name', { hasText: /^19,19$/ })
      .waitFor({ timeout: RUN_TIMEOUT_MS });
  });
});
