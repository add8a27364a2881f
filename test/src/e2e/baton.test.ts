import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import type { Workbench } from '../harness';
import { normaliseRenderedText as normalise, repoRoot, useWorkbench, waitFor } from '../harness';

/** A stage of a fixture pipeline takes well under this; a cold server start too. */
const RUN_TIMEOUT_MS = 30_000;
/** The README's screenshot; refreshed when missing or when BATON_UPDATE_SCREENSHOTS=1. */
const readmeScreenshot = path.join(repoRoot, 'docs', 'images', 'runs-tree.png');

/** The Runs view's pane in the side bar. */
function runsPane(workbench: Workbench): Locator {
  return workbench.page
    .locator('.pane')
    .filter({ has: workbench.page.locator('.pane-header', { hasText: 'Runs' }) });
}

/** A row of the Runs tree containing `text`. */
function runsRow(workbench: Workbench, text: string): Locator {
  return runsPane(workbench).locator('.monaco-list-row').filter({ hasText: text }).first();
}

/** Waits until the tree row `label` shows the codicon `icon` (e.g. a green tick). */
async function waitForRowIcon(workbench: Workbench, label: string, icon: string): Promise<void> {
  const row = runsPane(workbench)
    .locator('.monaco-list-row')
    .filter({ has: workbench.page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) })
    .filter({ has: workbench.page.locator(`.codicon-${icon}`) });
  await row.first().waitFor({ timeout: RUN_TIMEOUT_MS });
}

/** Shows the Baton view (clicking its activity bar icon when it is not shown: a click on the shown one hides it). */
async function showRunsView(workbench: Workbench): Promise<void> {
  // The side bar's title names the view container it shows.
  const header = workbench.page.locator('.part.sidebar .title-label', { hasText: /baton/i });
  const icon = workbench.page.locator('.part.activitybar [aria-label^="Baton"]').first();
  // Clicking the activity bar icon of the container already shown hides the
  // side bar; right after a window reload the view can be restored while this
  // looks, so a click may toggle it away: click again until it stays shown.
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  while (!(await header.isVisible())) {
    if (Date.now() > deadline) throw new Error('the Baton view did not show within the deadline');
    await icon.click({ timeout: RUN_TIMEOUT_MS });
    await header.waitFor({ timeout: 5_000 }).catch(() => undefined);
  }
}

/**
 * Runs a pipeline from the command palette, as a user would: types its name,
 * then picks the row of exactly that name (another pipeline's description may
 * contain the name: "Asks a rich-style question" must not run Soil for Ask).
 */
async function runFromPalette(workbench: Workbench, pipelineName: string): Promise<void> {
  await workbench.runCommand('Baton: Run Pipeline');
  // Filter first: with every fixture pipeline listed, the row may be out of view, and a
  // partial match would pick another (Soil's description "Asks …" contains "Ask").
  await workbench.typeInInputBox(pipelineName, { submit: false });
  await workbench.pickQuickPickItem(pipelineName);
  await workbench.waitForQuickInputClosed();
}

/** The id of run `number` of pipeline `pipelineId`, read from the workspace's run folders. */
function runIdOf(workbench: Workbench, pipelineId: string, number: number): string {
  const runs = path.join(workbench.workspace, '.baton', 'runs');
  const found = fs.readdirSync(runs).find((runId) => {
    const file = path.join(runs, runId, 'run.json');
    if (!fs.existsSync(file)) return false;
    const state = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      pipeline?: { id?: string };
      number?: number;
    };
    return state.pipeline?.id === pipelineId && state.number === number;
  });
  if (found === undefined) throw new Error(`no run ${number} of ${pipelineId} in ${runs}`);
  return found;
}

/** Answers a prompt with `baton answer` of this repository, as a terminal would. */
function answerWithCli(workbench: Workbench, args: readonly string[]): Promise<void> {
  const cli = path.join(repoRoot, 'server', 'bin', 'baton.js');
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [cli, 'answer', ...args],
      { cwd: workbench.workspace, timeout: RUN_TIMEOUT_MS },
      (error, _stdout, stderr) =>
        error ? reject(new Error(`baton answer: ${stderr || error.message}`)) : resolve(),
    ),
  );
}

describe('Baton in the browser', () => {
  const workbench = useWorkbench({ fixture: 'workspace-extension' });

  it('opens the Baton view with the workspace pipelines, an invalid one flagged', async () => {
    await showRunsView(workbench());
    await runsRow(workbench(), 'Hello').waitFor({ timeout: RUN_TIMEOUT_MS });
    const broken = runsRow(workbench(), 'Broken');
    await broken.locator('.codicon-error').waitFor({ timeout: RUN_TIMEOUT_MS });
    assert.match(normalise(await broken.innerText()), /\d+ problems? · \d+:\d+/);
    // A pipeline that never ran shows its stages, read from its file.
    await runsRow(workbench(), 'needs greet').waitFor({ timeout: RUN_TIMEOUT_MS });
  });

  it('runs a pipeline from the command palette: the stages go green and the log streams', async () => {
    await runFromPalette(workbench(), 'Hello');
    await waitForRowIcon(workbench(), 'greet', 'pass-filled');
    await waitForRowIcon(workbench(), 'count', 'pass-filled');
    const output = await workbench().waitForOutput('[count] line 3', undefined, RUN_TIMEOUT_MS);
    assert.match(output, /\[greet\] hello from baton/);
  });

  it('shows a stage tooltip in Markdown: status, timing and the run label', async () => {
    const row = runsPane(workbench())
      .locator('.monaco-list-row')
      .filter({ has: workbench().page.locator('.label-name', { hasText: /^greet$/ }) })
      .first();
    const hover = workbench().page.locator('.monaco-hover, .workbench-hover').filter({
      hasText: 'greet · succeeded',
    });
    // A hover shows after the pointer rests on the row; a redraw may take it away: try again.
    await waitFor(
      async () => {
        await workbench().page.mouse.move(0, 0);
        await row.hover();
        return hover
          .first()
          .waitFor({ timeout: 3_000 })
          .then(() => true)
          .catch(() => false);
      },
      { what: 'the tooltip of the greet row', timeoutMs: RUN_TIMEOUT_MS },
    );
    assert.match(normalise(await hover.first().innerText()), /took \d+(ms|s)/);
    await workbench().screenshot('stage-tooltip');
    await runsRow(workbench(), 'Hello #1').waitFor({ timeout: RUN_TIMEOUT_MS });
    await workbench().page.mouse.move(0, 0);
  });

  it('asks the inputs before a run in validated InputBoxes, the defaults filled in', async () => {
    // The view title's ▷ asks which pipeline to run, even with the Hello row focused.
    await runsRow(workbench(), 'Hello').click();
    // With one view in the container, its title actions sit in the side bar's title.
    await workbench()
      .page.locator('.part.sidebar [aria-label="Run Pipeline…"]:visible')
      .first()
      .click({ timeout: RUN_TIMEOUT_MS });
    // Recently run pipelines first, the invalid one last and marked as not runnable.
    const rows = (await workbench().quickPickItems()).map(normalise);
    assert.match(rows[0] ?? '', /Hello/, rows.join(' | '));
    await workbench().screenshot('pipeline-picker');
    // The list is drawn in part when the workspace has many pipelines: filter to see the invalid
    // one (its place at the end is pinned by the extension's unit tests of the picker's order).
    await workbench().typeInInputBox('broken', { submit: false });
    await waitFor(
      async () =>
        (await workbench().quickPickItems())
          .map(normalise)
          .some((row) => /broken.*cannot run: \d+ problem/i.test(row)) || undefined,
      { what: 'the invalid pipeline marked as not runnable', timeoutMs: RUN_TIMEOUT_MS },
    );
    await workbench().typeInInputBox('', { submit: false });
    await workbench().pickQuickPickItem('Greeting');
    const input = workbench().page.locator('.quick-input-widget .quick-input-box input');
    await waitFor(async () => (await input.inputValue()) === 'world', {
      what: 'the text input pre-filled with its default',
      timeoutMs: RUN_TIMEOUT_MS,
    });
    const placeholder = await input.getAttribute('placeholder');
    assert.match(placeholder ?? '', /Escape cancels the run/);
    await workbench().typeInInputBox('Ada');
    await waitFor(async () => (await input.inputValue()) === '2', {
      what: 'the number input pre-filled with its default',
      timeoutMs: RUN_TIMEOUT_MS,
    });
    await workbench().typeInInputBox('many', { submit: false });
    const message = workbench().page.locator('.quick-input-widget .quick-input-message');
    await message
      .filter({ hasText: '"many" is not a number.' })
      .waitFor({ timeout: RUN_TIMEOUT_MS });
    await workbench().typeInInputBox('3');
    await workbench().waitForQuickInputClosed();
    const output = await workbench().waitForOutput('[greet] hello Ada', undefined, RUN_TIMEOUT_MS);
    assert.equal(output.match(/\[greet\] hello Ada/g)?.length, 3, output);
    // The inputs given with the start are in the run's own log, shown before the stage's output.
    const given = '[baton] input `who`: `Ada`, given when the run was started in the editor';
    assert.ok(output.includes(given), output);
    assert.ok(output.indexOf(given) < output.indexOf('[greet] hello Ada'), output);
  });

  it('answers a stage prompt in the QuickPick while another run is in progress', async () => {
    await runFromPalette(workbench(), 'Slow');
    await waitForRowIcon(workbench(), 'wait', 'sync');
    await runFromPalette(workbench(), 'Ask');
    const toast = await workbench().waitForNotification(
      'choose asks: Pick a colour',
      RUN_TIMEOUT_MS,
    );
    const promptRow = runsRow(workbench(), 'Answer: Pick a colour');
    await promptRow.waitFor({ timeout: RUN_TIMEOUT_MS });
    // The whole question, the run's label, and its three options as real notification buttons.
    assert.match(normalise(await toast.innerText()), /Ask #\d+ › choose asks: Pick a colour/);
    const buttons = workbench().notificationButtons('choose asks: Pick a colour');
    assert.deepEqual((await buttons.allInnerTexts()).map(normalise), [
      'red',
      'green (default)',
      'blue',
    ]);
    assert.equal(await toast.locator('a').count(), 0, 'no command links in the message');
    await workbench().screenshot('prompt-notification');
    await promptRow.click();
    const items = await workbench().quickPickItems();
    // Label and description render side by side; compare without the spacing.
    assert.deepEqual(
      items.map((item) => item.replace(/\s+/g, '')),
      ['red', 'green(default)', 'blue'],
    );
    const placeholder = workbench().page.locator('.quick-input-widget .quick-input-box input');
    assert.match(
      (await placeholder.getAttribute('placeholder')) ?? '',
      /Escape leaves the question open/,
    );
    const shot = await workbench().screenshot('runs-tree-prompt');
    await workbench().screenshot('runs-tree', runsPane(workbench()));
    if (!fs.existsSync(readmeScreenshot) || process.env['BATON_UPDATE_SCREENSHOTS'] === '1') {
      fs.mkdirSync(path.dirname(readmeScreenshot), { recursive: true });
      fs.copyFileSync(shot, readmeScreenshot);
    }
    // Escape leaves the question open, as the hint says; the notification's button answers it.
    await workbench().page.keyboard.press('Escape');
    await workbench().waitForQuickInputClosed();
    await promptRow.waitFor({ timeout: RUN_TIMEOUT_MS });
    await workbench().clickNotificationButton('choose asks: Pick a colour', 'blue');
    await waitForRowIcon(workbench(), 'choose', 'pass-filled');
    await waitFor(async () => (await runsRow(workbench(), 'Answer: Pick a colour').count()) === 0, {
      what: 'the answered prompt to leave the tree',
      timeoutMs: RUN_TIMEOUT_MS,
    });
    await workbench().waitForOutput('[choose] picked blue', 'Baton: Ask', RUN_TIMEOUT_MS);
    await workbench().waitForOutput(
      '[choose] [baton] answered `blue` in the editor',
      'Baton: Ask',
      RUN_TIMEOUT_MS,
    );
  });

  it('makes the notification of a question answered in the terminal inert', async () => {
    await runFromPalette(workbench(), 'Ask');
    const question = 'Ask #2 › choose asks: Pick a colour';
    await workbench().waitForNotification(question, RUN_TIMEOUT_MS);
    const runId = runIdOf(workbench(), 'ask', 2);
    await answerWithCli(workbench(), [runId, 'choose/colour', 'red']);
    await waitFor(async () => (await runsRow(workbench(), 'Answer: Pick a colour').count()) === 0, {
      what: 'the prompt answered in the terminal to leave the tree',
      timeoutMs: RUN_TIMEOUT_MS,
    });
    // VS Code cannot close the message from code; its stale button answers nothing.
    await workbench().clickNotificationButton(question, 'blue');
    await workbench().waitForNotification(
      'That question is no longer open: it was answered `red` with `baton answer`',
      RUN_TIMEOUT_MS,
    );
    await workbench().screenshot('prompt-notification-inert');
    const output = await workbench().waitForOutput('[choose] picked red', 'Baton: Ask #2');
    assert.doesNotMatch(output, /picked blue/);
    assert.match(output, /\[choose\] \[baton\] answered `red` with `baton answer`/);
  });

  it('stops the run in progress from the command palette', async () => {
    await workbench().runCommand('Baton: Stop Run');
    await workbench().pickQuickPickItem('Slow');
    await waitForRowIcon(workbench(), 'wait', 'circle-slash');
  });

  it('reattaches after a window reload: the run the old window ran is shown resumable', async () => {
    // The stopped run lets go of the pipeline's lock just after it reports its end.
    const lock = path.join(workbench().workspace, '.baton', 'locks', 'slow.lock');
    await waitFor(() => !fs.existsSync(lock), {
      what: 'the lock of slow to be released',
      timeoutMs: RUN_TIMEOUT_MS,
    });
    await runFromPalette(workbench(), 'Slow');
    await waitForRowIcon(workbench(), 'wait', 'sync');
    // The run stopped before is no longer the newest: it is drawn closed, the new one open on top.
    const older = runsRow(workbench(), 'Slow #1');
    await waitFor(async () => (await older.getAttribute('aria-expanded')) === 'false', {
      what: 'the older run to be drawn closed',
      timeoutMs: RUN_TIMEOUT_MS,
    });
    assert.equal(await runsRow(workbench(), 'Slow #2').getAttribute('aria-expanded'), 'true');
    await workbench().runCommand('Developer: Reload Window');
    await workbench().page.locator('.monaco-workbench').waitFor({ timeout: RUN_TIMEOUT_MS });
    await showRunsView(workbench());
    // The old window's server ends with its window; the new one finds the run
    // without an owner and shows it interrupted, ready to resume.
    const interrupted = runsPane(workbench())
      .locator('.monaco-list-row')
      .filter({ has: workbench().page.locator('.codicon-debug-pause') });
    await interrupted.first().waitFor({ timeout: 2 * RUN_TIMEOUT_MS });
    assert.match(normalise(await interrupted.first().innerText()), /Slow #\d+.*interrupted/);
    // The new window has no channel for that run yet: its log is read from the server.
    await workbench().runCommand('Baton: Show Run Log');
    await workbench().pickQuickPickItem('Slow');
    await workbench().waitForOutput('[wait] waiting', undefined, RUN_TIMEOUT_MS);
  });
});
