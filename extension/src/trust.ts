import * as vscode from 'vscode';

/**
 * Checks that the workspace is trusted before anything runs. In an untrusted
 * workspace it explains why nothing runs and offers to manage trust.
 */
export async function ensureTrusted(action: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const manage = 'Manage Workspace Trust';
  const choice = await vscode.window.showWarningMessage(
    `Baton cannot ${action}: this workspace is not trusted, and pipelines run commands from its files. Trust the workspace to run pipelines.`,
    manage,
  );
  if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}
