/**
 * Test helpers for `FileTailer`: start one and record what it emits, and
 * count the descriptors and inotify watches this process holds.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { FileTailer } from '../../src/tail/fileTailer';
import type { FileTailerOptions } from '../../src/tail/fileTailer';
import { waitFor } from '../helpers/waitFor';

/** A tailer plus everything it emitted. */
export interface Tailing {
  readonly tailer: FileTailer;
  readonly lines: string[];
  readonly resets: string[];
  readonly errors: Error[];
  /** Lines of one file, in order. */
  of(file: string): string[];
}

/** Options of a tailer under test, apart from where and what it tails. */
export type TailOptions = Omit<FileTailerOptions, 'cwd' | 'globs'>;

/** Starts a tailer on `globs` in `cwd` and waits for its first scan. */
export async function startTailing(
  cwd: string,
  globs: string[],
  options: TailOptions = {},
): Promise<Tailing> {
  const tailer = new FileTailer({ cwd, globs, ...options });
  const lines: string[] = [];
  const resets: string[] = [];
  const errors: Error[] = [];
  tailer.on('line', (file, text) => lines.push(`${file}: ${text}`));
  tailer.on('reset', (file, reason) => resets.push(`${file}: ${reason}`));
  tailer.on('error', (error) => errors.push(error));
  await tailer.ready();
  const of = (file: string): string[] =>
    lines.filter((l) => l.startsWith(`${file}: `)).map((l) => l.slice(file.length + 2));
  return { tailer, lines, resets, errors, of };
}

/** Waits until the tailer has emitted at least `count` lines. */
export function waitForLines(t: Tailing, count: number, what = `${count} lines`): Promise<true> {
  return waitFor(what, () => t.lines.length >= count || false);
}

/** Descriptors and inotify watches this process holds (Linux: from /proc). */
export interface HeldResources {
  readonly descriptors: number;
  readonly inotifyWatches: number;
}

/** Whether `heldResources()` can look (it needs Linux's /proc/self/fdinfo). */
export function canCountResources(): boolean {
  try {
    readdirSync('/proc/self/fdinfo');
    return true;
  } catch {
    return false;
  }
}

/** Counts the open descriptors and the watches of every inotify instance of this process. */
export function heldResources(): HeldResources {
  let descriptors = 0;
  let inotifyWatches = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    let target: string;
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue; // The descriptor readdir used for the listing, closed by now.
    }
    descriptors += 1;
    if (!target.includes('inotify')) continue;
    const info = readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8');
    inotifyWatches += info.split('\n').filter((line) => line.startsWith('inotify wd:')).length;
  }
  return { descriptors, inotifyWatches };
}
