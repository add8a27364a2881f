import * as vscode from 'vscode';

/** Shows an information message with buttons; resolves the clicked button, or `undefined`. */
export async function showInfo(
  message: string,
  ...buttons: readonly string[]
): Promise<string | undefined> {
  return vscode.window.showInformationMessage(message, ...buttons);
}

/** Shows a warning message with buttons; resolves the clicked button, or `undefined`. */
export async function showWarning(
  message: string,
  ...buttons: readonly string[]
): Promise<string | undefined> {
  return vscode.window.showWarningMessage(message, ...buttons);
}

/** Shows an error message with buttons; resolves the clicked button, or `undefined`. */
export async function showError(
  message: string,
  ...buttons: readonly string[]
): Promise<string | undefined> {
  return vscode.window.showErrorMessage(message, ...buttons);
}

/** Asks a yes/no question in a modal dialog; resolves true only when `confirmLabel` is clicked. */
export async function confirmModal(
  message: string,
  detail: string,
  confirmLabel: string,
): Promise<boolean> {
  const choice = await vscode.window.showWarningMessage(
    message,
    { modal: true, detail },
    confirmLabel,
  );
  return choice === confirmLabel;
}

/**
 * Shows a notification that stays until `token` is cancelled; unlike a plain
 * message, it can be closed by the extension (when the question it announces
 * was answered elsewhere). Markdown links in `message` are clickable; a
 * `command:` link runs the command. `everySecond` redraws the message (a countdown).
 */
export function showClosableNotification(
  title: string,
  message: () => string,
  token: vscode.CancellationToken,
  everySecond = false,
): void {
  void vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: false },
    async (progress) => {
      progress.report({ message: message() });
      if (token.isCancellationRequested) return;
      // A message with a countdown is redrawn every second.
      const timer = everySecond
        ? setInterval(() => progress.report({ message: message() }), 1000)
        : undefined;
      await new Promise<void>((resolve) => {
        const sub = token.onCancellationRequested(() => {
          sub.dispose();
          resolve();
        });
      });
      if (timer) clearInterval(timer);
    },
  );
}

/** Puts text on the system clipboard. */
export async function writeClipboard(text: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
}
