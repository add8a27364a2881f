/**
 * The stage spawner: one small long-lived child process per engine process
 * that starts stage processes for it (its program and protocol are in
 * `spawnerSource.ts`). Node starts a process by forking the whole engine and
 * blocks the event loop until the child has `exec`'d; at 10,000 units that
 * fork was most of a stage's start. The spawner's forks copy a tiny process
 * instead, and the engine's only work per stage is three socket connections
 * (which become the stage's stdin, which also carries the gate's go, stdout
 * and stderr, so output never passes through the spawner) and two short
 * messages.
 *
 * The engine uses it when `BATON_SPAWNER=1` (measured no faster on a
 * saturated 2-core machine, where its extra process hops cost what the fork
 * saved; see docs/benchmarks.md). Started with a run. Until it says it is
 * ready, and whenever it cannot be started, stages are forked by the engine
 * as before (`spawnVia` returns undefined). If it dies, the stages it started and has not reported
 * ended are `lost` (their processes are the engine's to end) and the next
 * stage starts a new one.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { gateOpener } from './stageChild';
import type { ChildExit, ChildLaunch, StageChild } from './stageChild';
import { SPAWNER_SOURCE } from './spawnerSource';

/** The environment variable that makes the engine start stages through the spawner (`1`). */
export const SPAWNER_VARIABLE = 'BATON_SPAWNER';

/** What to start: a program and its arguments, with `spawnStage`'s options. */
export interface SpawnRequest {
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
}

/** Longest Unix socket path the kernel takes (`sun_path` holds 108 bytes with its NUL). */
const MAX_SOCKET_PATH = 107;

/** A child of the spawner, from the request until its exit is reported. */
interface Pending {
  readonly sockets: readonly net.Socket[];
  resolveLaunch(launch: ChildLaunch): void;
  resolveExit(exit: ChildExit): void;
  running: boolean;
}

/** What the spawner writes to its stdout, one JSON object a line. */
interface SpawnerMessage {
  readonly ready?: boolean;
  readonly id?: number;
  readonly pid?: number;
  readonly startTime?: number;
  readonly error?: { readonly code?: string; readonly message?: string };
  readonly exit?: number | null;
  readonly signal?: string | null;
}

class Spawner {
  ready = false;
  /** Settles true once the spawner listens, false if it dies first. */
  readonly whenReady: Promise<boolean>;
  private tellReady: (ready: boolean) => void = () => undefined;
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private lines = '';

  constructor(
    private readonly child: ChildProcess,
    private readonly socketPath: string,
    private readonly onGone: () => void,
  ) {
    this.whenReady = new Promise((resolve) => (this.tellReady = resolve));
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (text: string) => this.onText(text));
    child.stdin?.on('error', () => undefined);
    child.on('error', () => this.gone('it could not be started'));
    // Its stdout ends after the last report it wrote, so no exit report is lost when it dies.
    child.stdout?.on('close', () => this.gone('it exited'));
    this.holdEngine(false);
  }

  spawn(request: SpawnRequest): StageChild {
    const id = ++this.nextId;
    const sockets = [0, 1, 2].map((fd) => {
      const socket = net.connect(this.socketPath);
      socket.write(`${id} ${fd}\n`);
      return socket;
    });
    // The spawner reads nothing but the header before the child runs: what is
    // written to stdin meanwhile (an early answer) waits here until then.
    sockets[0]?.cork();
    let resolveLaunch: (launch: ChildLaunch) => void = () => undefined;
    let resolveExit: (exit: ChildExit) => void = () => undefined;
    const launch = new Promise<ChildLaunch>((resolve) => (resolveLaunch = resolve));
    const exit = new Promise<ChildExit>((resolve) => (resolveExit = resolve));
    const entry: Pending = { sockets, resolveLaunch, resolveExit, running: false };
    this.pending.set(id, entry);
    this.holdEngine(true);
    for (const socket of sockets) {
      socket.on('error', (error) => {
        // Before the child runs, a broken connection means it never will; afterwards a stream error ends its stream.
        if (entry.running || !this.pending.has(id)) return;
        this.send({ drop: id });
        this.settle(id, { error }, undefined);
      });
    }
    this.send({
      id,
      file: request.file,
      args: request.args,
      cwd: request.cwd,
      env: request.env,
    });
    return {
      stdin: sockets[0] ?? null,
      stdout: sockets[1] ?? null,
      stderr: sockets[2] ?? null,
      launch,
      exit,
      openGate: gateOpener(sockets[0] ?? null),
    };
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private send(message: object): void {
    if (this.child.stdin?.writable === true) this.child.stdin.write(`${JSON.stringify(message)}\n`);
  }

  private onText(text: string): void {
    this.lines += text;
    for (let end = this.lines.indexOf('\n'); end >= 0; end = this.lines.indexOf('\n')) {
      const line = this.lines.slice(0, end);
      this.lines = this.lines.slice(end + 1);
      let message: SpawnerMessage;
      try {
        message = JSON.parse(line) as SpawnerMessage;
      } catch {
        continue; // It writes only JSON lines; anything else (a stray warning) is not a report.
      }
      this.onMessage(message);
    }
  }

  private onMessage(message: SpawnerMessage): void {
    if (message.ready === true) {
      this.ready = true;
      this.tellReady(true);
      return;
    }
    const { id } = message;
    const entry = id === undefined ? undefined : this.pending.get(id);
    if (id === undefined || entry === undefined) return;
    if (message.pid !== undefined) {
      entry.running = true;
      entry.sockets[0]?.uncork();
      entry.resolveLaunch({ pid: message.pid, startTime: message.startTime });
    } else if (message.error !== undefined) {
      const error = Object.assign(new Error(message.error.message ?? 'spawn failed'), {
        code: message.error.code,
      });
      this.settle(id, { error }, undefined);
    } else if ('exit' in message) {
      this.settle(id, undefined, { code: message.exit ?? null, signal: message.signal ?? null });
    }
  }

  /** Ends the spawner's part in child `id`: a failed launch, or its exit. */
  private settle(id: number, failed: ChildLaunch | undefined, exit: ChildExit | undefined): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    this.holdEngine(this.pending.size > 0);
    if (failed !== undefined) {
      for (const socket of entry.sockets) socket.destroy();
      entry.resolveLaunch(failed);
    }
    if (exit !== undefined) entry.resolveExit(exit);
  }

  /** While children are pending, their exit reports must keep the engine alive; otherwise nothing of the spawner may. */
  private holdEngine(hold: boolean): void {
    const stdout = this.child.stdout as (NodeJS.ReadableStream & Partial<net.Socket>) | null;
    if (hold) stdout?.ref?.();
    else stdout?.unref?.();
  }

  private gone(why: string): void {
    this.ready = false;
    this.tellReady(false);
    this.onGone();
    rmSync(path.dirname(this.socketPath), { recursive: true, force: true });
    const reason = `the stage spawner (pid ${this.child.pid ?? '?'}) died: ${why}`;
    for (const [id, entry] of [...this.pending]) {
      if (entry.running) this.settle(id, undefined, { lost: reason });
      else this.settle(id, { error: new Error(reason), lost: true }, undefined);
    }
  }
}

let current: Spawner | undefined;
/** Set once the spawner could not be started here: stages are forked from then on. */
let disabled = false;

/**
 * Starts `request` through the spawner; undefined when the spawner is not
 * ready (yet) or cannot run here, and the caller forks the child itself.
 */
export function spawnVia(request: SpawnRequest): StageChild | undefined {
  if (disabled) return undefined;
  if (current === undefined) {
    current = startSpawner();
    return undefined;
  }
  return current.ready ? current.spawn(request) : undefined;
}

/**
 * Starts the spawner if none runs and resolves once it is ready: true, or
 * false when it cannot run here or died before it was ready.
 */
export async function warmSpawner(): Promise<boolean> {
  if (disabled) return false;
  current ??= startSpawner();
  return (await current?.whenReady) === true;
}

/** The spawner's pid while one runs (tests). */
export function spawnerPid(): number | undefined {
  return current?.pid;
}

function startSpawner(): Spawner | undefined {
  let dir: string | undefined;
  try {
    dir = mkdtempSync(path.join(os.tmpdir(), 'baton-spawner-'));
    const socketPath = path.join(dir, 's');
    if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) throw new Error('socket path too long');
    const child = spawn(process.execPath, ['-e', SPAWNER_SOURCE, socketPath], {
      // A session of its own: Ctrl-C in the engine's terminal must not end it.
      detached: true,
      stdio: ['pipe', 'pipe', 'ignore'],
      // An Electron host runs the script as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    child.unref();
    (child.stdin as (NodeJS.WritableStream & Partial<net.Socket>) | null)?.unref?.();
    const spawner: Spawner = new Spawner(child, socketPath, () => {
      if (current === spawner) current = undefined;
    });
    return spawner;
  } catch {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    // Forking from the engine works everywhere; without a spawner stages only start slower.
    disabled = true;
    return undefined;
  }
}
