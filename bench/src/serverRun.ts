import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { StartRunMethod } from '@baton/protocol';
import type { RunStatus } from '@baton/protocol';
import { BatonServerClient } from './rpcClient';

/** A started server with its workspace, for several runs in a row. */
export interface BenchServer {
  readonly client: BatonServerClient;
  readonly workspace: string;
}

/** What a scenario does around one run through the server. */
export interface ServerRunHooks {
  /** Called before the run starts: subscribe here; `runId()` is known once the run started. */
  readonly beforeStart?: (client: BatonServerClient, runId: () => string | undefined) => void;
  /** Called once the run started, while it runs; the run's end is awaited after it returns. */
  readonly whileRunning?: (client: BatonServerClient, runId: string) => Promise<void>;
}

/** What {@link runThroughServer} reports. */
export interface ServerRunResult {
  readonly runId: string;
  readonly status: RunStatus;
}

/** Starts `baton serve --stdio` on a fresh workspace under `dir`, runs `body`, closes the server. */
export async function withServer<T>(
  dir: string,
  body: (server: BenchServer) => Promise<T>,
): Promise<T> {
  const workspace = path.join(dir, 'workspace');
  mkdirSync(workspace, { recursive: true });
  const client = await BatonServerClient.start({ workspace, stateDir: path.join(dir, 'state') });
  try {
    return await body({ client, workspace });
  } finally {
    await client.close();
  }
}

/**
 * Writes `yaml` as pipeline `<name>.pipeline.yaml` in the server's workspace,
 * starts it over RPC and waits for it to end, calling the hooks on the way.
 * Listeners added in the hooks are removed afterwards.
 */
export async function runThroughServer(
  server: BenchServer,
  name: string,
  yaml: string,
  hooks: ServerRunHooks,
  timeoutMs = 300_000,
): Promise<ServerRunResult> {
  const file = path.join(server.workspace, `${name}.pipeline.yaml`);
  writeFileSync(file, yaml);
  const { client } = server;
  let runId: string | undefined;
  const ended = client.waitForRunEnd(() => runId, timeoutMs);
  // A rejection before the run id is known must not go unhandled.
  ended.catch(() => undefined);
  const subscriptions = client.trackSubscriptions(() => hooks.beforeStart?.(client, () => runId));
  try {
    runId = (await client.request(StartRunMethod, { pipeline: file, interactive: true })).runId;
    await hooks.whileRunning?.(client, runId);
    return { runId, status: await ended };
  } finally {
    for (const subscription of subscriptions) subscription.dispose();
  }
}
