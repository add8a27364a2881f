import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { waitFor } from './deadline';
import { testResultsDir } from './paths';
import { openSession } from './session';
import type { Session, SessionOptions } from './session';
import { normaliseRenderedText } from './text';

/** Options of {@link openWorkbench}: which fixture, settings and extension to load. */
export type WorkbenchOptions = Omit<SessionOptions, 'extensionTestsPath'>;

/** Deadlines of the UI helpers, generous for a cold workbench on a slow CI machine. */
const STARTUP_TIMEOUT_MS = 60_000;
const UI_TIMEOUT_MS = 15_000;

const selectors = {
  workbench: '.monaco-workbench',
  statusBar: '.part.statusbar',
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget .quick-input-box input',
  quickInputRow: '.quick-input-widget .quick-input-list .monaco-list-row',
  treeRow: '.pane-body .monaco-list-row',
  outputLines: '.part.panel .monaco-editor .view-lines',
  notification: '.notifications-toasts .notification-list-item-message',
  notificationItem: '.notification-list-item',
  notificationButton: '.notification-list-item-buttons-container .monaco-button',
} as const;

/** Matches an element whose whole text is `text`. */
function exactly(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

/**
 * The VS Code workbench in Chromium with the extension under development
 * loaded, and the actions a user performs on it. Every wait has a deadline
 * and fails saying what it waited for. `page` is there for anything else.
 */
export class Workbench {
  private constructor(private readonly session: Session) {}

  /** Starts code-server and Chromium and waits until the workbench is rendered. */
  static async open(options: WorkbenchOptions = {}): Promise<Workbench> {
    const session = await openSession(options);
    const workbench = new Workbench(session);
    try {
      await session.page.locator(selectors.workbench).waitFor({ timeout: STARTUP_TIMEOUT_MS });
      await session.page.locator(selectors.statusBar).waitFor({ timeout: STARTUP_TIMEOUT_MS });
    } catch (error) {
      await workbench.close();
      throw error;
    }
    return workbench;
  }

  /** The Playwright page showing the workbench. */
  get page(): Page {
    return this.session.page;
  }

  /** The workspace folder the workbench has open (a fresh copy of the fixture). */
  get workspace(): string {
    return this.session.workspace;
  }

  /**
   * Runs a command from the command palette (F1) as a user would: types
   * `title` and clicks the entry whose label contains it, e.g.
   * `runCommand('Baton: Run Pipeline')`.
   */
  async runCommand(title: string): Promise<void> {
    // Once in CI the palette of a busy, cold workbench did not list a command (it showed its
    // "similar commands" fallback for 15 s); the cause is not known, so the palette is
    // closed and opened again, as a user would, until twice the usual wait has passed.
    const deadline = Date.now() + 2 * UI_TIMEOUT_MS;
    for (;;) {
      await this.page.keyboard.press('F1');
      const input = this.page.locator(selectors.quickInputBox);
      await input.waitFor({ timeout: UI_TIMEOUT_MS });
      await input.fill(`>${title}`);
      try {
        await this.pickQuickPickItem(title, UI_TIMEOUT_MS / 3);
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await this.page.keyboard.press('Escape');
      }
    }
  }

  /**
   * Clicks the row of the open QuickPick whose label is `label`, or failing
   * that the first row whose text contains it ("Server" must not pick
   * "JSON Language Server" when a "Server" row exists).
   */
  async pickQuickPickItem(label: string, timeoutMs = UI_TIMEOUT_MS): Promise<void> {
    const rows = this.page.locator(selectors.quickInputRow);
    const exact = rows.filter({
      has: this.page.locator('.label-name', { hasText: exactly(label) }),
    });
    const partial = rows.filter({ hasText: label });
    const row = await waitFor(
      async () => {
        if ((await exact.count()) > 0) return exact.first();
        return (await partial.count()) > 0 ? partial.first() : undefined;
      },
      { what: `a QuickPick item ${JSON.stringify(label)}`, timeoutMs },
    );
    await row.click();
  }

  /** The labels of the rows the open QuickPick shows (only the rendered ones). */
  async quickPickItems(): Promise<string[]> {
    await this.page.locator(selectors.quickInputRow).first().waitFor({ timeout: UI_TIMEOUT_MS });
    // In the order shown: the list reuses row elements, so the DOM's order can differ from
    // it (a picker opened right after another); each row says its place in `data-index`.
    const rows = await this.page.locator(selectors.quickInputRow).evaluateAll((elements) =>
      elements.map((element) => ({
        index: Number(element.getAttribute('data-index') ?? Number.NaN),
        text: (element as unknown as { innerText: string }).innerText,
      })),
    );
    const shown = rows.every((row) => Number.isFinite(row.index))
      ? [...rows].sort((a, b) => a.index - b.index)
      : rows;
    return shown.map((row) => normaliseRenderedText(row.text));
  }

  /**
   * Types `text` into the open InputBox (or QuickPick filter), replacing what
   * is there, and presses Enter unless `submit` is false (to look at a
   * validation message first).
   */
  async typeInInputBox(text: string, options: { submit?: boolean } = {}): Promise<void> {
    const input = this.page.locator(selectors.quickInputBox);
    await input.waitFor({ timeout: UI_TIMEOUT_MS });
    await input.fill(text);
    if (options.submit !== false) await input.press('Enter');
  }

  /** Waits until no QuickPick or InputBox is shown. */
  async waitForQuickInputClosed(): Promise<void> {
    await this.page
      .locator(selectors.quickInput)
      .waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
  }

  /** Waits for a visible row of any tree or list in the side bar or panel containing `text`. */
  async waitForTreeRow(text: string, timeoutMs = UI_TIMEOUT_MS): Promise<Locator> {
    const row = this.page.locator(selectors.treeRow).filter({ hasText: text }).first();
    await row.waitFor({ timeout: timeoutMs });
    return row;
  }

  /**
   * Returns the text of the output channel shown in the panel, after
   * switching to channel `name` when given. Monaco renders only the lines in
   * view (the tail, as the channel follows its end).
   */
  async readOutputChannel(name?: string): Promise<string> {
    if (name !== undefined) {
      await this.runCommand('Output: Show Output Channels...');
      await this.pickQuickPickItem(name);
    }
    const lines = this.page.locator(selectors.outputLines).first();
    await lines.waitFor({ timeout: UI_TIMEOUT_MS });
    return normaliseRenderedText(await lines.innerText());
  }

  /** Waits until the output channel shown (or `name`) contains `text`; returns its text. */
  async waitForOutput(text: string, name?: string, timeoutMs = UI_TIMEOUT_MS): Promise<string> {
    if (name !== undefined) await this.readOutputChannel(name);
    return waitFor(
      async () => {
        const output = await this.readOutputChannel();
        return output.includes(text) ? output : undefined;
      },
      { what: `output containing ${JSON.stringify(text)}`, timeoutMs },
    );
  }

  /** Waits for a notification toast whose message contains `text`. */
  async waitForNotification(text: string, timeoutMs = UI_TIMEOUT_MS): Promise<Locator> {
    const toast = this.page.locator(selectors.notification).filter({ hasText: text }).first();
    await toast.waitFor({ timeout: timeoutMs });
    return toast;
  }

  /**
   * The real buttons (VS Code's own notification buttons, not links in the
   * message) of the notification toast whose message contains `text`.
   */
  notificationButtons(text: string): Locator {
    return this.page
      .locator(`.notifications-toasts ${selectors.notificationItem}`)
      .filter({ hasText: text })
      .first()
      .locator(selectors.notificationButton);
  }

  /**
   * Clicks the button `label` of the notification whose message contains
   * `text`: in its toast, or in the notification centre once the toast has
   * gone there (a message with buttons hides after about 15 seconds).
   */
  async clickNotificationButton(text: string, label: string): Promise<void> {
    const inToast = this.notificationButtons(text).filter({ hasText: exactly(label) });
    if (await inToast.isVisible()) return inToast.click({ timeout: UI_TIMEOUT_MS });
    await this.runCommand('Notifications: Show Notifications');
    await this.page
      .locator(`.notifications-center ${selectors.notificationItem}`)
      .filter({ hasText: text })
      .first()
      .locator(selectors.notificationButton)
      .filter({ hasText: exactly(label) })
      .click({ timeout: UI_TIMEOUT_MS });
    await this.page.keyboard.press('Escape');
  }

  /**
   * Saves a PNG of the page (or of `target` only) as test-results/<name>.png
   * and returns its path.
   */
  async screenshot(name: string, target?: Locator): Promise<string> {
    fs.mkdirSync(testResultsDir, { recursive: true });
    const file = path.join(testResultsDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
    await (target ?? this.page).screenshot({ path: file });
    return file;
  }

  /** Closes Chromium and stops code-server. */
  close(): Promise<void> {
    return this.session.close();
  }
}
