/**
 * The server process entry (bundled into extension/dist/server.js): serves
 * JSON-RPC over stdio and exits with the life cycle's exit code; or, as
 * `server.js deliver-stops <file>`, delivers a pending stop (stopCourier.ts).
 */
import { startStdioServer } from './rpc/serve';

const [command, file] = process.argv.slice(2);
const url = process.env.BATON_REDIS_URL;
// The server starts itself as the courier of a remote stage's stop that could not reach Redis (see pendingStops.ts).
const main =
  command === 'deliver-stops' && file !== undefined && url !== undefined
    ? import('./executor/bullmq/stopCourier.js')
        .then(({ deliverPendingStop }) => deliverPendingStop(file, url))
        .then((outcome) => (outcome === 'expired' ? 1 : 0))
    : startStdioServer();

main.then(
  (code) => process.exit(code),
  (error: unknown) => {
    // The connection does not exist, so stderr is the only place left to say why.
    process.stderr.write(
      `baton server failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
