/**
 * The Node programs the scenarios run as stages (and run directly for the
 * raw-pipe peers), written into the scenario's temp dir. Each stamps times
 * with the same clock as the bench (`PRECISE_NOW_SOURCE`).
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { PRECISE_NOW_SOURCE } from './clock';

const SCRIPTS = {
  /** `progress.js <count> <intervalMs>`: prints `::progress` with the time in the message. */
  'progress.js': `
const count = Number(process.argv[2]);
const interval = Number(process.argv[3]);
let index = 0;
function tick() {
  index += 1;
  process.stdout.write('::progress value=' + index + ',total=' + count + '::t=' + ${PRECISE_NOW_SOURCE} + '\\n');
  if (index < count) setTimeout(tick, interval);
}
setTimeout(tick, interval);
`,
  /** `prompts.js <count> <resultFile>`: asks `count` prompts one by one, times each answer, writes the times. */
  'prompts.js': `
const fs = require('node:fs');
const readline = require('node:readline');
const count = Number(process.argv[2]);
const rl = readline.createInterface({ input: process.stdin });
const lines = rl[Symbol.asyncIterator]();
async function main() {
  const times = [];
  for (let index = 1; index <= count; index++) {
    const asked = ${PRECISE_NOW_SOURCE};
    process.stdout.write('::prompt id=q' + index + ',type=text::question ' + index + '\\n');
    const answer = await lines.next();
    if (answer.done) throw new Error('stdin ended before answer ' + index);
    times.push(${PRECISE_NOW_SOURCE} - asked);
  }
  fs.writeFileSync(process.argv[3], JSON.stringify(times));
  rl.close();
}
main().catch((error) => { console.error(error); process.exit(1); });
`,
  /** `append.js <file> <count> <intervalMs> <delayMs>`: appends `tick <time>` lines to a file. */
  'append.js': `
const fs = require('node:fs');
const [file, count, interval, delay] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5])];
fs.mkdirSync(require('node:path').dirname(file), { recursive: true });
let index = 0;
function tick() {
  index += 1;
  fs.appendFileSync(file, 'tick ' + (${PRECISE_NOW_SOURCE}) + '\\n');
  if (index < count) setTimeout(tick, interval);
}
setTimeout(tick, delay);
`,
  /** `flood.js <seconds>`: prints numbered lines as fast as the pipe takes them, for a while. */
  'flood.js': `
const seconds = Number(process.argv[2]);
const end = Date.now() + seconds * 1000;
let line = 0;
function chunk() {
  let text = '';
  for (let i = 0; i < 500; i++) text += 'flood line ' + (line++) + ' lorem ipsum dolor sit amet, consectetur adipiscing\\n';
  return text;
}
function pump() {
  while (Date.now() < end) {
    if (!process.stdout.write(chunk())) { process.stdout.once('drain', pump); return; }
  }
}
pump();
`,
  /** `bulk.js <megabytes>`: writes that many MB of 100-byte lines to stdout as fast as it can. */
  'bulk.js': `
const total = Number(process.argv[2]) * 1024 * 1024;
const line = 'bulk output line of one hundred bytes, lorem ipsum dolor sit amet, consectetur adipiscing elit..';
const block = Buffer.from((line + '\\n').repeat(640));
let written = 0;
function pump() {
  while (written < total) {
    const piece = written + block.length <= total ? block : block.subarray(0, total - written);
    written += piece.length;
    if (!process.stdout.write(piece)) { process.stdout.once('drain', pump); return; }
  }
}
pump();
`,
} as const;

/** The name of a stage script. */
export type StageScript = keyof typeof SCRIPTS;

/** Writes a stage script into `dir` and returns its absolute path. */
export function writeStageScript(dir: string, name: StageScript): string {
  const file = path.join(dir, name);
  writeFileSync(file, SCRIPTS[name].trimStart());
  return file;
}

/** A shell word for a path: single-quoted, so any path is safe in `run:`. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A `run:` command running a stage script with the bench's own Node. */
export function nodeCommand(script: string, args: readonly (string | number)[]): string {
  return [process.execPath, script, ...args.map(String)].map(shellQuote).join(' ');
}
