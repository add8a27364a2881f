import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  docScreenshot,
  waitFor,
  normaliseRenderedText as normalise,
  repoRoot,
  useWorkbench,
} from '../harness';

/** A fixture run takes well under this; a cold server start too. */
const RUN_TIMEOUT_MS = 30_000;

describe('Fanned-out stages in the browser', () => {
  const workbench = useWorkbench({ fixture: 'workspace-extension' });

  it('shows a foreach stage as one row with item counts, its items under it', async () => {
    const workspace = workbench().workspace;
    fs.copyFileSync(
      path.join(repoRoot, 'test', 'fixtures', 'pipelines-cockpit', 'items.pipeline.yaml'),
      path.join(workspace, 'items.pipeline.yaml'),
    );
    fs.mkdirSync(path.join(workspace, 'items'), { recursive: true });
    for (const name of ['a', 'b', 'c', 'd', 'e'])
      fs.writeFileSync(path.join(workspace, 'items', `${name}.txt`), name);
    await workbench().page.locator('.part.activitybar [aria-label^="Baton"]').first().click();
    await workbench()
      .page.locator('.pane .monaco-list-row', { hasText: 'Items' })
      .first()
      .waitFor({ timeout: RUN_TIMEOUT_MS });
    await workbench().runCommand('Baton: Run Pipeline');
    await workbench().typeInInputBox('Items', { submit: false });
    await workbench().pickQuickPickItem('Items');
    await workbench().waitForQuickInputClosed();
    await workbench().waitForNotification('failed', RUN_TIMEOUT_MS);
    const row = workbench()
      .page.locator('.pane .monaco-list-row', { hasText: '4/5 · 1 failed' })
      .first();
    await row.waitFor({ timeout: RUN_TIMEOUT_MS });
    assert.match(normalise(await row.innerText()), /each\s*4\/5 · 1 failed · 100% · failed/);
    await row.locator('.monaco-tl-twistie').click();
    await workbench()
      .page.locator('.pane .monaco-list-row', { hasText: '[items/b.txt]' })
      .first()
      .waitFor({ timeout: RUN_TIMEOUT_MS });
    // The inline Retry Failed Items button shows on hover.
    await row.hover();
    await row
      .locator('.action-label[aria-label="Retry Failed Items"]')
      .waitFor({ timeout: RUN_TIMEOUT_MS });
    // Widen the side bar by its sash, so the row's counts show whole in the picture.
    const sidebar = await workbench().page.locator('.part.sidebar').boundingBox();
    if (sidebar) {
      const edge = sidebar.x + sidebar.width;
      await workbench().page.mouse.move(edge + 1, sidebar.y + 300);
      await workbench().page.mouse.down();
      await workbench().page.mouse.move(edge + 220, sidebar.y + 300, { steps: 5 });
      await workbench().page.mouse.up();
    }
    await docScreenshot(workbench(), 'fan-out-tree');
  });

  it('draws the fanned-out stage as one box with a status bar, zooms and fits', async () => {
    const runRow = workbench()
      .page.locator('.pane .monaco-list-row', { hasText: /Items #\d+/ })
      .first();
    await runRow.hover();
    await runRow.locator('.action-label[aria-label="Show Graph"]').click();
    const graph = workbench()
      .page.frameLocator('iframe.webview.ready:visible')
      .last()
      .frameLocator('iframe#active-frame');
    const box = graph.locator('.node.fanout');
    await box.waitFor({ timeout: RUN_TIMEOUT_MS });
    assert.match(normalise((await box.textContent()) ?? ''), /4\/5 · 1 failed/);
    assert.equal(await box.locator('.band-done').count(), 1);
    assert.equal(await box.locator('.band-failed').count(), 1);
    const world = graph.locator('svg.canvas > g');
    const before = await world.getAttribute('transform');
    await graph.locator('#zoom-in').click();
    await graph.locator('#zoom-in').click();
    await graph.locator('#zoom-fit').click();
    await graph.locator('#zoom-out').click();
    // The webview redraws on its next animation frame: wait for it rather than read at once.
    await waitFor(async () => (await world.getAttribute('transform')) !== before, {
      what: 'the buttons to zoom the graph (its transform to change)',
      timeoutMs: RUN_TIMEOUT_MS,
    });
    await graph.locator('#zoom-fit').click();
    await box.waitFor({ timeout: RUN_TIMEOUT_MS });
    // Next failed takes the keyboard focus to the failed box.
    await graph.locator('#next-failed').click();
    await waitFor(
      async () =>
        (await box.evaluate((element) => element === element.ownerDocument.activeElement)) ||
        undefined,
      { what: 'the failed fanned-out box to have the focus', timeoutMs: RUN_TIMEOUT_MS },
    );
    await docScreenshot(workbench(), 'graph-fan-out');
  });

  it('keeps a graph of 10,000 stages usable: drawn in part, zoomed out to an overview', async () => {
    const stages = Array.from({ length: 10_000 }, (_, i) => {
      const needs = i === 0 ? '' : `\n    needs: [s${Math.floor((i - 1) / 4)}]`;
      return `  s${i}:${needs}\n    run: "true"`;
    });
    fs.writeFileSync(
      path.join(workbench().workspace, 'huge.pipeline.yaml'),
      `name: Huge\nstages:\n${stages.join('\n')}\n`,
    );
    await workbench()
      .page.locator('.pane .monaco-list-row', { hasText: 'Huge' })
      .first()
      .waitFor({ timeout: RUN_TIMEOUT_MS });
    await workbench().page.locator('.part.sidebar .title-label').first().click();
    await workbench().runCommand('Baton: Show Graph');
    await workbench().typeInInputBox('Huge', { submit: false });
    await workbench().pickQuickPickItem('Huge');
    const graph = workbench()
      .page.frameLocator('iframe.webview.ready:visible')
      .last()
      .frameLocator('iframe#active-frame');
    await graph.locator('#title', { hasText: 'Huge' }).waitFor({ timeout: RUN_TIMEOUT_MS });
    const drawn = async (): Promise<number> =>
      Number(await graph.locator('#graph').getAttribute('data-drawn'));
    await graph.locator('.node.tone-notStarted, .dot').first().waitFor({ timeout: RUN_TIMEOUT_MS });
    const fitted = await drawn();
    assert.ok(fitted > 0 && fitted < 10_000, `only what is visible is drawn (${fitted})`);
    await graph.locator('#zoom-reset').click();
    await graph.locator('.node').first().waitFor({ timeout: RUN_TIMEOUT_MS });
    const close = await drawn();
    assert.ok(close < 200, `at 100% a screenful of boxes is drawn (${close})`);
    // The keyboard moves along the boxes, panning to each.
    await graph.locator('.node').first().focus();
    await graph.locator('.node').first().press('ArrowRight');
    await graph.locator('#zoom-fit').click();
    await docScreenshot(workbench(), 'graph-10k');
  });
});
