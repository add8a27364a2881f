/**
 * Reads small `/proc` files with as few system calls as a read can take.
 * `readFileSync` asks for the file's size first (always 0 in `/proc`) and
 * allocates a buffer per call; the engine reads dozens of these files after
 * every stage, so here one small buffer is reused.
 */
import { closeSync, openSync, readSync } from 'node:fs';

/** Enough for `stat`, `children` and the like; a longer file gets a larger buffer of its own. */
const shared = Buffer.allocUnsafe(4096);

/**
 * The whole content of a `/proc` file as latin1 text (every byte one
 * character, so nothing is lost in a process name). Throws like
 * `readFileSync` when the file cannot be opened or read (most often: the
 * process is gone).
 */
export function readProcText(file: string): string {
  const fd = openSync(file, 'r');
  try {
    let target: Buffer = shared;
    let length = 0;
    for (;;) {
      if (length === target.length) target = grow(target, length);
      const read = readSync(fd, target, length, target.length - length, null);
      if (read === 0) return target.toString('latin1', 0, length);
      length += read;
    }
  } finally {
    closeSync(fd);
  }
}

function grow(current: Buffer, keep: number): Buffer {
  const bigger = Buffer.allocUnsafe(current.length * 2);
  current.copy(bigger, 0, 0, keep);
  return bigger;
}
