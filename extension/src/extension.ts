/** The Baton VS Code extension entry point. */
export function activate(): void {}
/** Called when the extension is deactivated. */
export function deactivate(): void {}
