/**
 * The program the stage reaper runs, as plain JavaScript source. It is handed
 * to `node -e` rather than shipped as a file of its own because the server is
 * also bundled into a single file (extension/dist/server.js), where no second
 * entry point would exist; source text works the same in both layouts.
 *
 * Protocol on its stdin, one line each: `add <pgid> <token>` when a stage
 * starts, `del <pgid>` when it has ended. When stdin closes (the engine died,
 * or exited), it sends SIGTERM (and SIGCONT, so stopped processes act on it)
 * to every registered process group and to every process whose environment
 * carries a registered `BATON_PROCESS_TOKEN` or descends from a process of
 * such a group (an escapee with an emptied environment), waits up to the grace period
 * (argv[1], in ms) for them to go, sends SIGKILL to what is left, and exits.
 */
export const REAPER_SOURCE = String.raw`
'use strict';
const fs = require('node:fs');
const graceMs = Number(process.argv[1]) || 3000;
const stages = new Map();
let pending = '';
let reaping = false;

function onLine(line) {
  const [verb, pgid, token] = line.split(' ');
  if (verb === 'add' && pgid && token) stages.set(Number(pgid), token);
  else if (verb === 'del' && pgid) stages.delete(Number(pgid));
}

function taggedPids() {
  if (stages.size === 0) return [];
  const needles = [...stages.values()].map((t) => Buffer.from('\0BATON_PROCESS_TOKEN=' + t + '\0'));
  const found = [];
  let names = [];
  try { names = fs.readdirSync('/proc'); } catch { return found; }
  for (const name of names) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const environ = Buffer.concat([Buffer.from([0]), fs.readFileSync('/proc/' + name + '/environ')]);
      if (needles.some((needle) => environ.includes(needle))) found.push(Number(name));
    } catch {}
  }
  return found;
}

// Processes descending from a stage's group, taken before any signal: an escapee
// that left the group (setsid) and emptied its environment (env -i) carries no
// token, but until its stage is killed its parent is still a process of the stage.
let offspring = [];

function groupOffspring() {
  const procs = [];
  let names = [];
  try { names = fs.readdirSync('/proc'); } catch { return []; }
  for (const name of names) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const stat = fs.readFileSync('/proc/' + name + '/stat', 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.push({ pid: Number(name), ppid: Number(fields[1]), pgid: Number(fields[2]) });
    } catch {}
  }
  const stage = new Set(procs.filter((p) => stages.has(p.pgid)).map((p) => p.pid));
  for (let grew = true; grew;) {
    grew = false;
    for (const p of procs) {
      if (!stage.has(p.pid) && stage.has(p.ppid)) { stage.add(p.pid); grew = true; }
    }
  }
  return procs.filter((p) => stage.has(p.pid) && !stages.has(p.pgid)).map((p) => p.pid);
}

function signalAll(signal) {
  for (const pgid of stages.keys()) {
    try { process.kill(-pgid, signal); } catch {}
  }
  for (const pid of [...offspring, ...taggedPids()]) {
    try { process.kill(pid, signal); } catch {}
  }
}

// A group whose members are all zombies still answers signal 0; the grace then runs out harmlessly.
function allGone() {
  for (const pgid of stages.keys()) {
    try { process.kill(-pgid, 0); return false; } catch {}
  }
  for (const pid of offspring) {
    try { process.kill(pid, 0); return false; } catch {}
  }
  return taggedPids().length === 0;
}

function reap() {
  if (reaping) return;
  reaping = true;
  if (stages.size === 0) process.exit(0);
  offspring = groupOffspring();
  signalAll('SIGTERM');
  signalAll('SIGCONT');
  const deadline = Date.now() + graceMs;
  const poll = setInterval(() => {
    if (allGone()) { clearInterval(poll); process.exit(0); }
    if (Date.now() >= deadline) {
      clearInterval(poll);
      signalAll('SIGKILL');
      process.exit(0);
    }
  }, 50);
}

process.on('SIGINT', () => undefined);
process.on('SIGHUP', () => undefined);
process.stdin.setEncoding('utf8');
process.stdin.on('data', (text) => {
  pending += text;
  for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
    onLine(pending.slice(0, end));
    pending = pending.slice(end + 1);
  }
});
process.stdin.on('end', reap);
process.stdin.on('close', reap);
process.stdin.on('error', reap);
`;
