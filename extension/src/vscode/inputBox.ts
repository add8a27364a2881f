import * as vscode from 'vscode';
import { trackQuickInput } from './quickInputState';

/** Options of `askText`. */
export interface AskTextOptions {
  readonly title?: string;
  readonly prompt?: string;
  readonly placeholder?: string;
  readonly value?: string;
  readonly password?: boolean;
  /** Returns an error message for invalid text, or `undefined` when it is acceptable. */
  readonly validate?: (text: string) => string | undefined;
  /** Hides the box and resolves `undefined` when cancelled. */
  readonly token?: vscode.CancellationToken;
  /** Recomputed every second while the box is open, e.g. to show the time left. */
  readonly liveTitle?: () => string;
}

/** Shows an InputBox that only accepts valid text; resolves it, or `undefined` when dismissed or cancelled. */
export function askText(options: AskTextOptions): Promise<string | undefined> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    if (options.prompt !== undefined) box.prompt = options.prompt;
    if (options.placeholder !== undefined) box.placeholder = options.placeholder;
    if (options.value !== undefined) box.value = options.value;
    box.password = options.password === true;
    const refreshTitle = (): void => {
      box.title = options.liveTitle?.() ?? options.title;
    };
    refreshTitle();
    const timer = options.liveTitle ? setInterval(refreshTitle, 1000) : undefined;
    const check = (text: string): string | undefined => options.validate?.(text);
    let result: string | undefined;
    const untrack = trackQuickInput({
      password: box.password,
      setValue: (text) => {
        box.value = text;
        box.validationMessage = check(text);
      },
    });
    const disposables: vscode.Disposable[] = [
      box.onDidChangeValue((text) => {
        box.validationMessage = check(text);
      }),
      box.onDidAccept(() => {
        const problem = check(box.value);
        box.validationMessage = problem;
        if (problem !== undefined) return;
        result = box.value;
        box.hide();
      }),
      box.onDidHide(() => {
        untrack();
        if (timer) clearInterval(timer);
        for (const d of disposables) d.dispose();
        box.dispose();
        resolve(result);
      }),
    ];
    if (options.token) disposables.push(options.token.onCancellationRequested(() => box.hide()));
    box.validationMessage = options.value !== undefined ? check(options.value) : undefined;
    // A never-shown input fires no hide event: settle by hand when already cancelled.
    if (options.token?.isCancellationRequested === true) {
      untrack();
      if (timer) clearInterval(timer);
      for (const d of disposables) d.dispose();
      box.dispose();
      resolve(undefined);
    } else {
      box.show();
    }
  });
}
