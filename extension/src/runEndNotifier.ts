import * as vscode from 'vscode';
import type { RunStatus } from '@baton/protocol';
import { CommandIds } from './model/commandIds';
import type { RunEndSettings } from './model/runEndNotice';
import { runEndNotice } from './model/runEndNotice';
import type { ServerMirror } from './model/serverMirror';

/**
 * Raises a notification when a run this window saw under way ends: always
 * when it failed, and when it ran long while the window was not focused
 * (`runEndNotice`). Its buttons show the run's log or graph, or retry its failed stage.
 */
export class RunEndNotifier implements vscode.Disposable {
  private readonly seen = new Map<string, RunStatus>();
  private readonly subscription: vscode.Disposable;
  /** The messages of the notifications it raised, oldest first (read by the integration tests). */
  readonly shown: string[] = [];

  constructor(
    private readonly store: ServerMirror,
    private readonly settings: () => RunEndSettings,
  ) {
    this.subscription = store.onDidChange((change) => {
      if (change.kind === 'run') this.check(change.runId);
    });
  }

  private check(runId: string): void {
    const run = this.store.run(runId);
    if (!run) return;
    const previous = this.seen.get(runId);
    this.seen.set(runId, run.summary.status);
    if (previous === run.summary.status) return;
    const notice = runEndNotice(previous, run, {
      now: Date.now(),
      focused: vscode.window.state.focused,
      settings: this.settings(),
    });
    if (!notice) return;
    this.shown.push(notice.message);
    const show =
      notice.severity === 'error'
        ? vscode.window.showErrorMessage
        : vscode.window.showInformationMessage;
    void Promise.resolve(show(notice.message, ...notice.actions)).then(async (action) => {
      if (action === 'Show Log') await vscode.commands.executeCommand(CommandIds.showRunLog, runId);
      if (action === 'Show Graph')
        await vscode.commands.executeCommand(CommandIds.showGraph, { kind: 'run', runId });
      if (action === 'Retry Failed' && notice.retryStage !== undefined)
        await vscode.commands.executeCommand(CommandIds.retryStage, runId, notice.retryStage);
    });
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
