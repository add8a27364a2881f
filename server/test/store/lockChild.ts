/**
 * A child process for the lock tests, run with `node lockChild.js <mode> …`:
 * - `race <dir> <rounds>`: prints `ready`, waits for a line on stdin, then
 *   tries to take `<dir>/round-<i>.lock` for every round (keeping what it
 *   wins), prints one JSON array of outcomes (`won`, `reclaimed`, `lost`) and
 *   stays alive, holding its locks, until stdin closes.
 * - `hold <lockPath>`: takes the lock, heartbeats, prints `{"acquired":…}`
 *   and lives until killed.
 */
import * as path from 'node:path';
import type { Lock } from '../../src/store/lock';
import { acquireLock } from '../../src/store/lock';

async function race(dir: string, rounds: number): Promise<void> {
  process.stdout.write('ready\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  const outcomes: string[] = [];
  const held: Lock[] = [];
  for (let round = 0; round < rounds; round++) {
    const result = await acquireLock(path.join(dir, `round-${round}.lock`));
    outcomes.push(result.acquired ? (result.reclaimedFrom ? 'reclaimed' : 'won') : 'lost');
    if (result.acquired) held.push(result.lock);
  }
  process.stdout.write(`${JSON.stringify(outcomes)}\n`);
  process.stdin.resume();
  process.stdin.once('end', () => {
    void Promise.all(held.map((lock) => lock.release())).finally(() => process.exit(0));
  });
}

async function hold(lockPath: string): Promise<void> {
  const result = await acquireLock(lockPath);
  if (result.acquired) result.lock.heartbeat(50);
  process.stdout.write(`${JSON.stringify({ acquired: result.acquired, pid: process.pid })}\n`);
  setInterval(() => undefined, 60_000);
}

const [mode, first = '', second = '0'] = process.argv.slice(2);
const work = mode === 'race' ? race(first, Number(second)) : hold(first);
work.catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
