/**
 * A real Redis for tests: Debian's `redis-server` (installed by
 * scripts/install-system-deps.sh), started on a free port of 127.0.0.1 in a
 * temp directory with append-only persistence and no eviction (what a queue
 * needs, see docs/executors.md), and stopped by its pid. Without
 * `redis-server` the test skips, or fails under CI (see capability.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { skipOrFailWithout } from './capability';
import { waitFor } from './waitFor';

/** A Redis a test started. */
export interface TestRedis {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Stops it (SIGTERM by pid) and waits for it to be gone; its data stays for `restart`. */
  stop(): Promise<void>;
  /** Starts it again on the same port and directory (its append-only file restores the data). */
  restart(): Promise<void>;
  /** Stops it and removes its directory. */
  dispose(): Promise<void>;
}

/** Whether `redis-server` can be run here. */
export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts a Redis for the current test or hook, or skips/fails without `redis-server`. */
export async function startTestRedis(context: Mocha.Context): Promise<TestRedis> {
  if (!hasRedisServer()) {
    skipOrFailWithout(
      context,
      'redis-server',
      "run scripts/install-system-deps.sh as root (it installs Debian's redis-server)",
    );
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'baton-redis-'));
  const port = await freePort();
  let child = await launch(dir, port);
  const stop = async (): Promise<void> => {
    const running = child;
    if (running.exitCode !== null || running.signalCode !== null) return;
    const gone = new Promise((resolve) => running.once('exit', resolve));
    if (running.pid !== undefined) process.kill(running.pid, 'SIGTERM');
    await gone;
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get pid() {
      return child.pid ?? 0;
    },
    stop,
    restart: async () => {
      await stop();
      child = await launch(dir, port);
    },
    dispose: async () => {
      await stop();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

async function launch(dir: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--maxmemory-policy',
      'noeviction',
      '--save',
      '',
      '--daemonize',
      'no',
    ],
    { stdio: 'ignore' },
  );
  await waitFor(`redis-server on port ${port}`, () => canConnect(port), {
    timeoutMs: 10_000,
    intervalMs: 20,
  });
  return child;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.write('PING\r\n');
    });
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
  });
}
