/**
 * Real processes for the remote-stage suite: a `redis-server` on a free port
 * of 127.0.0.1 with a temp directory, and `baton worker` processes started
 * from the repository's `baton` command; each stopped by its pid.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { waitFor } from '../harness/deadline';

/** A process a test started, and how to end it. */
export interface Started {
  readonly child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** SIGTERM by pid, then waits for it to exit. */
  stop(): Promise<void>;
}

/** Whether `redis-server` can run here (`scripts/install-system-deps.sh` installs it). */
export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Starts a Redis with append-only persistence in a temp directory; resolves with its URL once it answers. */
export async function startRedis(): Promise<Started & { readonly url: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-it-redis-'));
  const port = await freePort();
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
      '--save',
      '',
    ],
    { stdio: 'ignore' },
  );
  await waitFor(() => answersPing(port), {
    what: `redis-server on port ${port}`,
    timeoutMs: 10_000,
    intervalMs: 50,
  });
  const started = track(child);
  return {
    ...started,
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      await started.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts `baton worker` (the repository's `server/bin/baton.js`) and waits until it takes stages. */
export async function startWorker(options: {
  readonly batonBin: string;
  readonly url: string;
  readonly name: string;
  readonly queue: string;
  readonly workDir: string;
}): Promise<Started> {
  const child = spawn(
    process.execPath,
    [
      options.batonBin,
      'worker',
      '--redis',
      options.url,
      '--queue',
      options.queue,
      '--name',
      options.name,
      '--work-dir',
      options.workDir,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BATON_WORKER_LOCK_MS: '1000' } },
  );
  const started = track(child);
  await waitFor(() => started.output().includes('takes stages from') || child.exitCode !== null, {
    what: `worker ${options.name} to start`,
    timeoutMs: 20_000,
    intervalMs: 50,
  });
  if (child.exitCode !== null)
    throw new Error(`worker ${options.name} exited: ${started.output()}`);
  return started;
}

function track(child: ChildProcess): Started {
  let printed = '';
  child.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  return {
    child,
    output: () => printed,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      if (child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
      await gone;
    },
  };
}

function freePort(): Promise<number> {
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

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
  });
}
