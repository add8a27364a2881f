import type * as vscode from 'vscode';

/**
 * Baton's secrets in VS Code's SecretStorage (the operating system's keychain
 * on the desktop), by environment variable name, per workspace: two projects
 * may each have an `API_TOKEN` of their own. VS Code keeps them; Baton writes
 * them to no file and no setting.
 */
export class SecretStore {
  constructor(
    private readonly storage: vscode.SecretStorage,
    /** The workspace the secrets belong to (its first folder's URI). */
    private readonly workspace: string,
  ) {}

  /** The stored value of `name`, or undefined. */
  get(name: string): Promise<string | undefined> {
    return Promise.resolve(this.storage.get(this.key(name)));
  }

  /** Stores `value` for `name`, replacing any earlier one. */
  store(name: string, value: string): Promise<void> {
    return Promise.resolve(this.storage.store(this.key(name), value));
  }

  /** Forgets the value of `name`. */
  delete(name: string): Promise<void> {
    return Promise.resolve(this.storage.delete(this.key(name)));
  }

  private key(name: string): string {
    return `baton.secret:${this.workspace}:${name}`;
  }
}
