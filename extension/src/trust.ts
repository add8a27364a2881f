import * as vscode from 'vscode';

/**
 * Checks that the workspace is trusted before anything runs. In an untrusted
 * workspace it explains why nothing runs (offering to manage trust) and
 * returns false at once, without waiting for the message to be dismissed.
 */
export function ensureTrusted(action: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  const manage = 'Manage Workspace Trust';
  void vscode.window
    .showWarningMessage(
      `Baton cannot ${action}: this workspace is not trusted, and pipelines run commands from its files. Trust the workspace to run pipelines.`,
      manage,
    )
    .then((choice) =>
      choice === manage ? vscode.commands.executeCommand('workbench.trust.manage') : undefined,
    );
  return false;
}
