import * as path from 'node:path';
import * as vscode from 'vscode';
import type { InitializationOptions } from '@baton/protocol';
import type { RunEndSettings } from './model/runEndNotice';

/** What happens when a running stage asks a question (`baton.prompts.notify`). */
export type PromptNotifyMode = 'notification' | 'quickPick' | 'silent';

/** Settings that change what the server does; changing one restarts it. */
const SERVER_SETTINGS = ['baton.stateDir', 'baton.concurrency'] as const;

/** Reads the extension's settings. */
export class Config {
  private get section(): vscode.WorkspaceConfiguration {
    // `baton.stateDir` is resource-scoped: read it for the first folder, whose state dir it is.
    return vscode.workspace.getConfiguration(
      'baton',
      vscode.workspace.workspaceFolders?.[0]?.uri ?? null,
    );
  }

  /**
   * The state dir, absolute: the setting resolved against the first workspace
   * folder, or `<first folder>/.baton`. Undefined without a folder.
   */
  get stateDir(): string | undefined {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const setting = this.section.get<string>('stateDir', '').trim();
    if (setting !== '' && path.isAbsolute(setting)) return setting;
    if (root === undefined) return undefined;
    return path.resolve(root, setting !== '' ? setting : '.baton');
  }

  /** `baton.concurrency`, when set to a positive integer. */
  get concurrency(): number | undefined {
    const value = this.section.get<number | null>('concurrency', null);
    return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : undefined;
  }

  /** Whether `baton.trace.server` asks the client to trace message params (`verbose`). */
  get traceIsVerbose(): boolean {
    const value = this.section.get<unknown>('trace.server', 'off');
    const verbosity =
      typeof value === 'object' && value !== null
        ? (value as { verbosity?: unknown }).verbosity
        : value;
    return verbosity === 'verbose';
  }

  /** `baton.prompts.notify`. */
  get promptNotify(): PromptNotifyMode {
    const value = this.section.get<string>('prompts.notify', 'notification');
    return value === 'quickPick' || value === 'silent' ? value : 'notification';
  }

  /** `baton.notifications.*`: which ended runs raise a notification. */
  get runEndSettings(): RunEndSettings {
    const section = this.section;
    return {
      runFailed: section.get<boolean>('notifications.runFailed', true),
      longRunEnded: section.get<boolean>('notifications.longRunEnded', true),
      longRunSeconds: Math.max(0, section.get<number>('notifications.longRunSeconds', 30)),
    };
  }

  /** The `initialize` options the server gets. */
  initializationOptions(trusted: boolean): InitializationOptions {
    const stateDir = this.stateDir;
    const concurrency = this.concurrency;
    return {
      trusted,
      ...(stateDir !== undefined ? { stateDir } : {}),
      ...(concurrency !== undefined ? { concurrency } : {}),
    };
  }

  /** Whether a configuration change touches a setting the running server depends on. */
  affectsServer(event: vscode.ConfigurationChangeEvent): boolean {
    return SERVER_SETTINGS.some((key) => event.affectsConfiguration(key));
  }
}
