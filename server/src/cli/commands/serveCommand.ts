import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CliContext, GlobalOptions } from '../cliContext';
import { stateDirOf, UsageError } from '../cliContext';

/** The shape of the RPC server's entry point (server/src/rpc/serve.ts). */
interface ServeModule {
  startStdioServer(options?: {
    readonly stateDir?: string;
  }): Promise<number> | Promise<void> | void;
}

function isServeModule(value: unknown): value is ServeModule {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<ServeModule>).startStdioServer === 'function'
  );
}

/**
 * `baton serve --stdio`: hands the process over to the JSON-RPC server. The
 * server module is loaded at run time so the CLI works (and says so plainly)
 * in a build without it.
 */
export async function serveCommand(
  context: CliContext,
  options: GlobalOptions & { stdio: boolean },
): Promise<number | undefined> {
  if (!options.stdio) throw new UsageError('serve needs --stdio (the only transport)');
  const modulePath = path.join(__dirname, '..', '..', 'rpc', 'serve.js');
  if (!existsSync(modulePath)) throw new UsageError('this build of baton has no JSON-RPC server');
  const loaded: unknown = await import(pathToFileURL(modulePath).href);
  if (!isServeModule(loaded))
    throw new UsageError(`${modulePath} does not export startStdioServer`);
  const explicit = options.stateDir ?? context.env.BATON_STATE_DIR;
  const result = await loaded.startStdioServer(
    explicit === undefined ? {} : { stateDir: stateDirOf(context, options) },
  );
  return typeof result === 'number' ? result : undefined;
}
