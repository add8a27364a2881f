import * as vscode from 'vscode';
import { HAS_OPEN_PROMPTS_CONTEXT, RUNS_VIEW_ID } from './model/commandIds';
import type { ServerMirror } from './model/serverMirror';
import { statusSummary } from './model/statusSummary';

/** What the connection to the server is doing, as the status bar shows it. */
export type ServerState = 'starting' | 'running' | 'reconnecting' | 'stopped';

/**
 * The status bar item: active runs, overall progress and a badge for open
 * prompts; a click reveals the Runs tree. It also keeps the
 * `baton.hasOpenPrompts` context key in step for menus.
 */
export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'baton.status',
    vscode.StatusBarAlignment.Left,
    10,
  );
  private readonly subscription: vscode.Disposable;
  private server: ServerState = 'starting';
  private hadPrompts: boolean | undefined;

  constructor(private readonly store: ServerMirror) {
    this.item.name = 'Baton';
    this.item.command = `${RUNS_VIEW_ID}.focus`;
    this.subscription = store.onDidChange(() => this.update());
    this.update();
    this.item.show();
  }

  /** Records the server's connection state and redraws. */
  setServerState(state: ServerState): void {
    this.server = state;
    this.update();
  }

  /** Removes the item. */
  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }

  private update(): void {
    const summary = statusSummary(this.store.allRuns());
    const hasPrompts = this.store.openPrompts().length > 0;
    if (hasPrompts !== this.hadPrompts) {
      this.hadPrompts = hasPrompts;
      void vscode.commands.executeCommand('setContext', HAS_OPEN_PROMPTS_CONTEXT, hasPrompts);
    }
    if (this.server === 'stopped') {
      this.item.text = '$(error) Baton: server stopped';
      this.item.tooltip = 'The Baton server is not running. Click to restart it.';
      this.item.command = 'baton.restartServer';
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
      return;
    }
    this.item.command = `${RUNS_VIEW_ID}.focus`;
    const prefix = this.server === 'running' ? '' : `$(loading~spin) `;
    this.item.text = `${prefix}${summary.text}`;
    const serverLine = this.server === 'running' ? '' : `\nServer: ${this.server}…`;
    this.item.tooltip = `${summary.tooltip}${serverLine}\nClick to show the Baton runs.`;
    this.item.backgroundColor = summary.attention
      ? new vscode.ThemeColor('statusBarItem.warningBackground')
      : undefined;
  }
}
