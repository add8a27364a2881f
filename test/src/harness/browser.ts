import * as fs from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { logLine } from './logLines';

/** Debian's Chromium (scripts/install-system-deps.sh installs it); BATON_CHROMIUM overrides. */
const chromiumPath = process.env['BATON_CHROMIUM'] ?? '/usr/bin/chromium';

/**
 * Flags for a headless Chromium running as root in a container with no
 * network: no sandbox (root), no GPU, nothing that phones home.
 */
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** A Chromium page and what closes it. */
export interface BrowserSession {
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Closes the browser (Playwright kills Chromium's process group). */
  close(): Promise<void>;
}

/**
 * Launches headless Chromium with one 1280×800 page. `env` is its
 * environment: pass the sandbox's, so its XDG dirs (crash reports, caches)
 * stay out of the home directory. Page errors are always
 * forwarded to stdout; console messages only with BATON_TEST_VERBOSE=1,
 * because the workbench logs a lot that says nothing about the test.
 */
export async function launchBrowser(env: NodeJS.ProcessEnv): Promise<BrowserSession> {
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(
      `${chromiumPath} not found: run scripts/install-system-deps.sh as root (or set BATON_CHROMIUM)`,
    );
  }
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    env: definedOnly(env),
    // The harness handles signals itself and closes the browser in order.
    handleSIGINT: false,
    handleSIGTERM: false,
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => logLine('page error', error.message));
    if (process.env['BATON_TEST_VERBOSE'] === '1') {
      page.on('console', (message) => logLine(`browser ${message.type()}`, message.text()));
    }
    return { browser, context, page, close: () => browser.close() };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/** Playwright wants a plain string map, without the unset entries NodeJS.ProcessEnv allows. */
function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
