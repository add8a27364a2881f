import type { Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { registerCleanup } from './cleanup';
import { startCodeServer } from './codeServer';
import { ensureCodeServer } from './installCodeServer';
import { assertExtensionBuilt, extensionDir } from './paths';
import { createSandbox, removeSandbox } from './sandbox';
import type { Sandbox } from './sandbox';
import { workbenchUrl } from './workbenchUrl';

/** Options of {@link openSession}. */
export interface SessionOptions {
  /**
   * Folder to open, copied first: a name under test/fixtures/ or an absolute
   * path; default `workspace`.
   */
  readonly fixture?: string;
  /** User settings merged over the harness defaults. */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** Extension folder to load; default the repository's extension/. */
  readonly extensionDevelopmentPath?: string;
  /** Compiled mocha entry the extension host runs (integration tests only). */
  readonly extensionTestsPath?: string;
  /**
   * True keeps VS Code's workspace trust on, so the folder opens untrusted
   * (restricted mode, without the start-up trust prompt); default off.
   */
  readonly workspaceTrust?: boolean;
  /** Called with the page before the workbench is loaded, e.g. to expose functions. */
  readonly beforeLoad?: (page: Page) => Promise<void>;
  /**
   * Called with the sandbox and code-server's entry script before code-server
   * starts, e.g. to install a `.vsix` into `sandbox.extensionsDir`.
   */
  readonly beforeStart?: (sandbox: Sandbox, codeServerEntry: string) => Promise<void>;
}

/** code-server + Chromium showing the workbench, and the sandbox they use. */
export interface Session {
  readonly page: Page;
  readonly sandbox: Sandbox;
  /** The workspace folder the workbench has open (a copy of the fixture). */
  readonly workspace: string;
  /** Resolves with the reason if code-server exits or the page crashes before {@link close}. */
  readonly failure: Promise<Error>;
  /** Closes Chromium, kills code-server's process group, removes the sandbox. */
  close(): Promise<void>;
}

/** Trust on, and no modal start-up prompt: the folder stays untrusted and nothing blocks the page. */
const untrustedSettings: Readonly<Record<string, unknown>> = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
};

/**
 * Starts a private code-server, opens its workbench in headless Chromium with
 * the extension under development loaded, and returns without waiting for the
 * workbench to render. Everything started is registered for cleanup, so it is
 * torn down even if the caller never reaches {@link Session.close}.
 */
export async function openSession(options: SessionOptions = {}): Promise<Session> {
  assertExtensionBuilt();
  const entry = await ensureCodeServer();
  const trustSettings = options.workspaceTrust ? untrustedSettings : {};
  const sandbox = createSandbox({
    fixture: options.fixture ?? 'workspace',
    settings: { ...trustSettings, ...options.settings },
  });
  const closers: (() => Promise<void>)[] = [registerCleanup(() => removeSandbox(sandbox))];
  const close = async (): Promise<void> => {
    // Newest first: the browser, then the server, then the files they used.
    for (const closer of closers.reverse().splice(0)) await closer();
  };
  try {
    await options.beforeStart?.(sandbox, entry);
    const server = await startCodeServer(entry, sandbox, options.workspaceTrust === true);
    closers.push(registerCleanup(() => server.stop()));
    const browser = await launchBrowser(sandbox.env);
    closers.push(registerCleanup(() => browser.close()));
    await options.beforeLoad?.(browser.page);
    const url = workbenchUrl(server.url, {
      workspace: sandbox.workspace,
      extensionDevelopmentPath: options.extensionDevelopmentPath ?? extensionDir,
      ...(options.extensionTestsPath ? { extensionTestsPath: options.extensionTestsPath } : {}),
    });
    const failure = Promise.race([
      server.exited.then((how) => new Error(`code-server exited unexpectedly (${how})`)),
      new Promise<Error>((resolve) =>
        browser.page.once('crash', () => resolve(new Error('the workbench page crashed'))),
      ),
    ]);
    await browser.page.goto(url);
    return { page: browser.page, sandbox, workspace: sandbox.workspace, failure, close };
  } catch (error) {
    await close();
    throw error;
  }
}
