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

/**
 * Starts a debug session with `configuration` in the first workspace folder:
 * the session, or undefined when VS Code refused.
 */
export async function startDebugSession(
  configuration: vscode.DebugConfiguration,
): Promise<vscode.DebugSession | undefined> {
  let started: vscode.DebugSession | undefined;
  const listener = vscode.debug.onDidStartDebugSession((session) => {
    if (started === undefined && session.configuration.name === configuration.name) {
      started = session;
    }
  });
  try {
    const ok = await vscode.debug.startDebugging(
      vscode.workspace.workspaceFolders?.[0],
      configuration,
    );
    return ok ? (started ?? vscode.debug.activeDebugSession) : undefined;
  } finally {
    listener.dispose();
  }
}

/**
 * Ends `session` once `ended()` says what it debugs has ended (checked on
 * every `changed` event), and stops listening when the session ends first.
 */
export function endSessionWhen(
  session: vscode.DebugSession,
  changed: vscode.Event<unknown>,
  ended: () => boolean,
): void {
  const subscriptions: vscode.Disposable[] = [];
  const dispose = (): void => {
    for (const subscription of subscriptions) subscription.dispose();
  };
  subscriptions.push(
    changed(() => {
      if (!ended()) return;
      dispose();
      void vscode.debug.stopDebugging(session);
    }),
    vscode.debug.onDidTerminateDebugSession((terminated) => {
      if (terminated.id === session.id) dispose();
    }),
  );
}
