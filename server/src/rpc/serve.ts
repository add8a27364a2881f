/**
 * `baton serve --stdio`: the JSON-RPC server over stdin/stdout. stdout is the
 * wire: nothing else writes to it; logs go to the client as `window/logMessage`.
 */
import { inspect } from 'node:util';
import { createConnection, type Connection } from './connection';
import { BatonService } from './service/batonService';
import { LANGUAGE_CAPABILITIES } from '../language/languageServer';

/** Reported as `serverInfo.version`; kept in step with server/package.json. */
export const SERVER_VERSION = '0.1.0';

/** Options of `startStdioServer`. */
export interface StdioServerOptions {
  /** The state dir from the command line; the client's `initializationOptions.stateDir` wins. */
  readonly stateDir?: string;
}

/**
 * Serves one client over this process's stdin and stdout until it exits
 * (`exit`, stdin closed, or the client process died). Resolves with the exit
 * code: 0 after `shutdown`, else 1. Runs the server owns are interrupted
 * (left resumable) before it resolves.
 */
export function startStdioServer(options: StdioServerOptions = {}): Promise<number> {
  return new Promise((resolve) => {
    let service: BatonService | undefined;
    // Shutdown and exit share one stop, so `exit` waits for a shutdown still interrupting runs.
    let stopped: Promise<void> | undefined;
    const stop = (): Promise<void> => (stopped ??= service?.shutdown() ?? Promise.resolve());
    const connection: Connection = createConnection({
      input: process.stdin,
      output: process.stdout,
      serverVersion: SERVER_VERSION,
      capabilities: LANGUAGE_CAPABILITIES,
      onInitialize: async (params) => {
        service = await BatonService.start(connection, params, options);
      },
      onInitialized: () => service?.initialized(),
      onShutdown: () => stop(),
      onProgressCancel: (token) => service?.cancelProgress(token),
      onExit: (code) => void stop().finally(() => resolve(code)),
    });
    redirectConsole(connection);
    // A bug in a handler's background work must not take every run down with it.
    process.on('uncaughtException', (error) =>
      connection.logger.error('Uncaught exception', error),
    );
    process.on('unhandledRejection', (error) =>
      connection.logger.error('Unhandled rejection', error),
    );
  });
}

/**
 * stdout is the wire: a stray `console.log` in any module would corrupt it.
 * Console output becomes log messages to the client instead.
 */
function redirectConsole(connection: Connection): void {
  const format = (args: unknown[]): string =>
    args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg))).join(' ');
  Object.assign(globalThis.console, {
    log: (...args: unknown[]) => connection.logger.log(format(args)),
    info: (...args: unknown[]) => connection.logger.info(format(args)),
    warn: (...args: unknown[]) => connection.logger.warn(format(args)),
    error: (...args: unknown[]) => connection.logger.error(format(args)),
    debug: (...args: unknown[]) => connection.logger.trace(format(args)),
    trace: (...args: unknown[]) => connection.logger.trace(format(args)),
  });
}
