import * as path from 'node:path';
import { format } from 'node:util';
import { runAllCleanups } from './cleanup';
import { withDeadline } from './deadline';
import { logLine } from './logLines';
import { openSession } from './session';
import type { SessionOptions } from './session';

/** Options of {@link runExtensionTests}. */
export interface ExtensionTestsOptions extends Omit<
  SessionOptions,
  'extensionTestsPath' | 'beforeLoad'
> {
  /** Compiled module exporting `run(): Promise<void>`, run inside the extension host. */
  readonly extensionTestsPath: string;
  /** The whole run, start-up included, must end within this many milliseconds. */
  readonly timeoutMs: number;
}

/**
 * Runs `extensionTestsPath` in a real VS Code extension host (code-server's,
 * driven by headless Chromium) with the extension under development loaded,
 * and resolves with the exit code the workbench reports: 0 when `run()`
 * resolved, 1 when it rejected. Extension host and workbench logs are
 * forwarded to stdout. Everything started is stopped before this settles.
 */
export async function runExtensionTests(options: ExtensionTestsOptions): Promise<number> {
  let reportExit: (code: number) => void = () => undefined;
  const exitCode = new Promise<number>((resolve) => (reportExit = resolve));
  const { timeoutMs, ...sessionOptions } = options;
  const deadline = Date.now() + timeoutMs;
  try {
    const session = await withDeadline(
      openSession({
        ...sessionOptions,
        extensionTestsPath: path.resolve(options.extensionTestsPath),
        beforeLoad: async (page) => {
          // The workbench looks these up on window when it runs extension tests.
          await page.exposeFunction('codeAutomationLog', printAutomationLog);
          await page.exposeFunction('codeAutomationExit', (code: number) => reportExit(code));
        },
      }),
      timeoutMs,
      'starting code-server and the workbench',
    );
    try {
      const remainingMs = Math.max(deadline - Date.now(), 1);
      const crashed = session.failure.then((error) => Promise.reject(error));
      return await withDeadline(
        Promise.race([exitCode, crashed]),
        remainingMs,
        `the extension tests to finish (deadline ${timeoutMs} ms)`,
      );
    } finally {
      await session.close();
    }
  } finally {
    await runAllCleanups();
  }
}

/** Prints one log call of the workbench (and the extension host console it relays). */
function printAutomationLog(level: string, args: unknown[]): void {
  // The arguments are a console call's: a printf-style format, then values.
  const text = format(...args);
  const source = level === 'info' || level === 'log' ? 'vscode' : `vscode ${level}`;
  for (const line of text.split('\n')) logLine(source, line);
}
