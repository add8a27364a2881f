import { promises as fs } from 'node:fs';
import { tempDir, writePipeline } from '../engine/helpers';
import type { StartedServer } from './serverHarness';
import { initializeServer, startServer } from './serverHarness';

/** A real `baton serve --stdio` on a temp workspace holding one pipeline, fresh for each test. */
export interface WorkspaceServer {
  /** The workspace of the current test. */
  readonly dir: string;
  /** The server of the current test (a new one after `restart`). */
  readonly server: StartedServer;
  /** Kills the server with SIGKILL and starts and initializes a new one on the same workspace. */
  restart(): Promise<void>;
}

/**
 * Registers mocha hooks that, for each test, write `pipeline` as `<id>` in a
 * temp workspace and start an initialized server on it; afterwards the server
 * is killed and the workspace removed.
 */
export function useWorkspaceServer(prefix: string, id: string, pipeline: string): WorkspaceServer {
  let dir = '';
  let server: StartedServer | undefined;
  const started = (): StartedServer => {
    if (server === undefined) throw new Error('the workspace server is used outside a test');
    return server;
  };
  const start = async (): Promise<void> => {
    server = startServer(dir);
    await initializeServer(server, dir);
  };
  const stop = async (): Promise<void> => {
    const current = started();
    if (current.child.exitCode === null) current.child.kill('SIGKILL');
    await current.exited;
  };
  beforeEach(async () => {
    dir = await tempDir(prefix);
    await writePipeline(dir, id, pipeline);
    await start();
  });
  afterEach(async () => {
    await stop();
    await fs.rm(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir;
    },
    get server() {
      return started();
    },
    async restart() {
      await stop();
      await start();
    },
  };
}
