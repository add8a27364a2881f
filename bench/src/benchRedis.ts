/**
 * A Redis and two `baton worker` processes for the remote scenarios: Debian's
 * `redis-server` on a free port of 127.0.0.1 in the scenario's directory,
 * workers from `server/bin/baton.js`; all stopped by pid at the end.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { BATON_BIN } from './paths';

/** The Redis URL and workers of a remote scenario. */
export interface RemoteSetup {
  readonly url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function until(what: string, probe: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
  });
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid, signal);
  await gone;
}

/** Starts Redis and `workers` workers on queue `bench`; throws when `redis-server` is missing. */
export async function startRemoteSetup(dir: string, workers: number): Promise<RemoteSetup> {
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0) {
    throw new Error('redis-server is not installed (scripts/install-system-deps.sh)');
  }
  const port = await freePort();
  const redis = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes'],
    { stdio: 'ignore' },
  );
  await until('redis-server', () => answersPing(port));
  const url = `redis://127.0.0.1:${port}`;
  const children: ChildProcess[] = [];
  for (let index = 1; index <= workers; index++) {
    const name = `bench-${index}`;
    const args = [BATON_BIN, '--redis', url, 'worker', '--queue', 'bench', '--name', name];
    args.push('--concurrency', '4', '--work-dir', path.join(dir, name));
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let printed = '';
    child.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    children.push(child);
    await until(`worker ${name}`, () => printed.includes('takes stages from'));
  }
  return {
    url,
    stop: async () => {
      await Promise.all(children.map((child) => stopChild(child, 'SIGKILL')));
      await stopChild(redis, 'SIGTERM');
    },
  };
}
