/**
 * The program of the stage spawner (see `stageSpawner.ts`), as plain
 * JavaScript source for `node -e`, for the reason the reaper's is
 * (`reaperSource.ts`): the server is also one bundled file, where no second
 * entry point exists.
 *
 * Why it exists: starting a process from Node is a `fork` of the whole
 * process, which blocks the forking thread until the child has `exec`'d. The
 * engine holds every run's state (hundreds of MB at 10,000 units), and each
 * fork copies its page tables and then takes copy-on-write faults; this
 * process holds almost nothing, so its forks are cheap and never block the
 * engine's event loop.
 *
 * argv[1] is the path of a Unix socket it listens on, in a directory only its
 * user can enter. Protocol:
 * - stdin, one JSON object a line, from the engine: `{ id, file, args, cwd,
 *   env }` asks for a child (`detached`, so in a session and process
 *   group of its own); `{ drop: id }` forgets a request the engine gave up.
 * - the socket: the engine connects once for each of the child's descriptors
 *   0, 1 and 2 (a gated child's go comes on 0, see `stageGate`), and
 *   writes `<id> <fd>\n` first; the connection itself becomes that descriptor
 *   of the child (the engine keeps the other end), so output never passes
 *   through this process, and the engine opens the gate itself.
 * - stdout, one JSON object a line, to the engine: `{ id, pid }` once the
 *   child runs (with its `startTime`, field 22 of its `/proc/<pid>/stat`),
 *   `{ id, error: { code, message } }` when it could not start,
 *   `{ id, exit: code, signal }` when it has exited.
 * When stdin ends (the engine exited or died) it removes its socket's
 * directory and exits; running children are the reaper's to end (and a gated
 * child whose engine died runs nothing: its gate closed with the engine).
 */
export const SPAWNER_SOURCE = String.raw`
'use strict';
const net = require('node:net');
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const socketPath = process.argv[1];
const requests = new Map();
const HEADER_LIMIT = 64;

function send(message) {
  process.stdout.write(JSON.stringify(message) + '\n');
}

function pending(id) {
  let entry = requests.get(id);
  if (!entry) {
    entry = { request: undefined, sockets: [] };
    requests.set(id, entry);
  }
  return entry;
}

function discard(entry) {
  for (const socket of entry.sockets) if (socket) socket.destroy();
}

function fail(id, error) {
  const entry = requests.get(id);
  if (entry) { requests.delete(id); discard(entry); }
  send({ id, error });
}

// Field 22 of /proc/<pid>/stat, as processTree's parseStat reads it.
function startTimeOf(pid) {
  try {
    const stat = fs.readFileSync('/proc/' + pid + '/stat', 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  } catch {
    return undefined;
  }
}

function launch(id) {
  const entry = requests.get(id);
  if (!entry || !entry.request) return;
  for (let fd = 0; fd < 3; fd++) if (!entry.sockets[fd]) return;
  requests.delete(id);
  const { file, args, cwd, env } = entry.request;
  let child;
  try {
    // Accepted sockets are non-blocking, and the child would share that: a read
    // would fail with EAGAIN instead of waiting. This process reads them no more.
    for (const socket of entry.sockets) socket._handle.setBlocking(true);
    child = spawn(file, args, { cwd, env, detached: true, stdio: entry.sockets });
  } catch (error) {
    fail(id, { code: error.code, message: String(error.message) });
    return;
  }
  // The child holds its own copies now; ours would keep its descriptors open after it exits.
  discard(entry);
  child.once('error', (error) => {
    if (child.pid === undefined) send({ id, error: { code: error.code, message: String(error.message) } });
  });
  // Read at once: the child cannot have been reaped before this tick ends.
  child.once('spawn', () => send({ id, pid: child.pid, startTime: startTimeOf(child.pid) }));
  child.once('exit', (code, signal) => send({ id, exit: code, signal }));
}

function onLine(line) {
  if (line.trim() === '') return;
  const message = JSON.parse(line);
  if (message.drop !== undefined) {
    const entry = requests.get(message.drop);
    if (entry) { requests.delete(message.drop); discard(entry); }
  } else {
    pending(message.id).request = message;
    launch(message.id);
  }
}

const server = net.createServer((socket) => {
  let head = '';
  socket.on('error', () => undefined);
  const onData = (chunk) => {
    head += chunk.toString('latin1');
    const end = head.indexOf('\n');
    if (end < 0) {
      if (head.length > HEADER_LIMIT) socket.destroy();
      return;
    }
    socket.pause();
    socket.removeListener('data', onData);
    const [id, fd] = head.slice(0, end).split(' ').map(Number);
    if (!(fd >= 0 && fd <= 2) || !Number.isSafeInteger(id)) {
      socket.destroy();
      return;
    }
    // Nothing may follow the header before the child runs (the engine holds it back until then).
    if (end !== head.length - 1) {
      socket.destroy();
      fail(id, { message: 'the stage spawner got data before the header' });
      return;
    }
    const entry = pending(id);
    if (entry.sockets[fd]) entry.sockets[fd].destroy();
    entry.sockets[fd] = socket;
    launch(id);
  };
  socket.on('data', onData);
});

function quit() {
  try { fs.rmSync(path.dirname(socketPath), { recursive: true, force: true }); } catch {}
  process.exit(0);
}

process.on('SIGINT', () => undefined);
process.on('SIGHUP', () => undefined);
process.stdout.on('error', quit);
server.on('error', quit);
server.listen({ path: socketPath, backlog: 4096 }, () => send({ ready: true }));
let buffered = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (text) => {
  buffered += text;
  for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
    const line = buffered.slice(0, end);
    buffered = buffered.slice(end + 1);
    try { onLine(line); } catch {}
  }
});
process.stdin.on('end', quit);
process.stdin.on('close', quit);
process.stdin.on('error', quit);
`;
