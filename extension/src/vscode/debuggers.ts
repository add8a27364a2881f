import * as vscode from 'vscode';
import type { AttachableDebuggers } from '../model/debugConfiguration';

/** Which of the debuggers "Debug Stage" attaches are installed in this VS Code. */
export function availableDebuggers(): AttachableDebuggers {
  const has = (id: string): boolean => vscode.extensions.getExtension(id) !== undefined;
  return {
    node: has('ms-vscode.js-debug') || has('ms-vscode.js-debug-nightly'),
    python: has('ms-python.debugpy') ? 'debugpy' : has('ms-python.python') ? 'python' : undefined,
  };
}

/** Starts a debug session with `configuration` in the first workspace folder; false when VS Code refused. */
export async function startDebugSession(
  configuration: vscode.DebugConfiguration,
): Promise<boolean> {
  return vscode.debug.startDebugging(vscode.workspace.workspaceFolders?.[0], configuration);
}
