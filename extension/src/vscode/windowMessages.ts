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

/** Puts text on the system clipboard. */
export async function writeClipboard(text: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
}
