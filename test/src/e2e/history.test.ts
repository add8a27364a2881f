import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  activeWebview,
  docScreenshot,
  normaliseRenderedText as normalise,
  repoRoot,
  useWorkbench,
  waitFor,
} from '../harness';

/** The fixture's slow second run sleeps 2.5 s; a cold server start adds a few. */
const RUN_TIMEOUT_MS = 30_000;

describe('History and comparison in the browser', () => {
  const workbench = useWorkbench({ fixture: 'workspace-extension' });

  /** Runs Timing from the palette and waits until its run `number` ended (its row says how long it ran). */
  async function runTiming(number: number): Promise<void> {
    // The pipeline's lock goes just after the run before it is reported ended.
    const lock = path.join(workbench().workspace, '.baton', 'locks', 'timing.lock');
    await waitFor(() => !fs.existsSync(lock) || undefined, {
      what: 'the lock of timing to be released',
      timeoutMs: RUN_TIMEOUT_MS,
    });
    await workbench().runCommand('Baton: Run Pipeline');
    await workbench().typeInInputBox('Timing', { submit: false });
    await workbench().pickQuickPickItem('Timing');
    await workbench().waitForQuickInputClosed();
    await workbench()
      .page.locator('.pane .monaco-list-row', { hasText: new RegExp(`Timing #${number}.*ran`) })
      .first()
      .waitFor({ timeout: RUN_TIMEOUT_MS });
  }

  it('Compare with Previous Run shows two runs side by side, with the slower stage’s difference', async () => {
    fs.copyFileSync(
      path.join(repoRoot, 'test', 'fixtures', 'pipelines-cockpit', 'timing.pipeline.yaml'),
      path.join(workbench().workspace, 'timing.pipeline.yaml'),
    );
    await workbench().page.locator('.part.activitybar [aria-label^="Baton"]').first().click();
    await workbench()
      .page.locator('.pane .monaco-list-row', { hasText: 'Timing' })
      .first()
      .waitFor({ timeout: RUN_TIMEOUT_MS });
    await runTiming(1);
    await runTiming(2);
    await workbench().runCommand('Baton: Compare with Previous Run');
    await workbench().typeInInputBox('Timing #2', { submit: false });
    await workbench().pickQuickPickItem('Timing #2');
    await workbench().waitForQuickInputClosed();
    const preview = activeWebview(workbench());
    await preview
      .locator('h1', { hasText: 'compared with #1' })
      .waitFor({ timeout: RUN_TIMEOUT_MS });
    const crunch = normalise(
      await preview.locator('tr', { hasText: 'crunch' }).first().innerText(),
    );
    assert.match(crunch, /succeeded\s+succeeded\s+\S+\s+\S+\s+\+\S+/);
    // The run's output channel opened below; hide the panel so the picture shows the tables.
    await workbench().page.locator('.part.sidebar .title-label').first().click();
    await workbench().page.keyboard.press('Control+J');
    await workbench()
      .page.locator('.part.panel')
      .waitFor({ state: 'hidden', timeout: RUN_TIMEOUT_MS });
    await docScreenshot(workbench(), 'compare');
  });

  it('Show History lists the pipeline’s runs, newest first, in a QuickPick', async () => {
    await workbench().page.locator('.part.sidebar .title-label').first().click();
    await workbench().runCommand('Baton: Show History');
    await workbench().typeInInputBox('Timing', { submit: false });
    await workbench().pickQuickPickItem('Timing');
    const rows = await waitFor(
      async () => {
        // The list may show one row before the other: wait for both runs, then check the order.
        const items = await workbench().quickPickItems();
        const both = ['Timing #1', 'Timing #2'].every((run) => items.some((i) => i.includes(run)));
        return both ? items : undefined;
      },
      { what: 'the history of Timing', timeoutMs: RUN_TIMEOUT_MS },
    );
    assert.match(rows[0] ?? '', /Timing #2/);
    await docScreenshot(workbench(), 'history');
    await workbench().page.keyboard.press('Escape');
  });
});
