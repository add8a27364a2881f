import type { CliContext, GlobalOptions } from '../cliContext';
import { stateDirOf, UsageError } from '../cliContext';

/**
 * `baton serve --stdio`: hands the process over to the JSON-RPC server, which
 * is loaded only now (the other commands never need it).
 */
export async function serveCommand(
  context: CliContext,
  options: GlobalOptions & { stdio: boolean },
): Promise<number> {
  if (!options.stdio) throw new UsageError('serve needs --stdio (the only transport)');
  const { startStdioServer } = await import('../../rpc/serve.js');
  const explicit = options.stateDir ?? context.env.BATON_STATE_DIR;
  return startStdioServer(explicit === undefined ? {} : { stateDir: stateDirOf(context, options) });
}
