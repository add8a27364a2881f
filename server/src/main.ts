/**
 * The server process entry (bundled into extension/dist/server.js): serves
 * JSON-RPC over stdio and exits with the life cycle's exit code.
 */
import { startStdioServer } from './rpc/serve';

startStdioServer().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // The connection does not exist, so stderr is the only place left to say why.
    process.stderr.write(
      `baton server failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
