/**
 * The last lines a stage printed, kept raw in a fixed-size ring for hang
 * diagnosis. Recording a line is a store and an index bump; masking and
 * ordering happen only when a diagnosis reads the lines, which is rare.
 */
import type { LogPiece } from '../logBatch';

/** A fixed-size ring of the last non-blank lines; see the module comment. */
export class RecentLines {
  private readonly ring: string[];
  private next = 0;
  private count = 0;

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`recent lines: capacity must be a positive integer, got ${capacity}`);
    this.ring = new Array<string>(capacity).fill('');
  }

  /**
   * Records the non-blank lines of `text` (one line or several joined by
   * newlines), given whole or as the pieces of a log batch in order.
   */
  record(text: string | readonly LogPiece[]): void {
    const last = lastLines(typeof text === 'string' ? [text] : text, this.capacity);
    for (let index = last.length - 1; index >= 0; index -= 1) {
      this.ring[this.next] = last[index] ?? '';
      this.next = (this.next + 1) % this.capacity;
      if (this.count < this.capacity) this.count += 1;
    }
  }

  /** The recorded lines, oldest first, each passed through `mask` (the ring holds them raw). */
  read(mask: (line: string) => string): string[] {
    const start = (this.next - this.count + this.capacity) % this.capacity;
    const lines: string[] = [];
    for (let offset = 0; offset < this.count; offset += 1) {
      lines.push(mask(this.ring[(start + offset) % this.capacity] ?? ''));
    }
    return lines;
  }
}

const LF = 0x0a;

/**
 * Up to `count` non-blank lines of the text the pieces make together, newest
 * first. Only the last `count` lines can stay in the ring, so they are looked
 * for from the end, and only they are decoded: a flood of output costs a few
 * searches per batch, not a string per line nor a decoded batch. Plain runs
 * are valid UTF-8 cut at line ends, so a cut after a newline never splits a character.
 */
function lastLines(pieces: readonly LogPiece[], count: number): string[] {
  const last: string[] = [];
  /** The end of a line whose start is in an earlier piece. */
  let suffix = '';
  for (let index = pieces.length - 1; index >= 0 && last.length < count; index -= 1) {
    const piece = pieces[index] ?? '';
    let end = piece.length;
    while (last.length < count) {
      const start = end === 0 ? -1 : lastNewline(piece, end - 1);
      const part = slice(piece, start + 1, end);
      if (start < 0) {
        suffix = part + suffix;
        break;
      }
      const line = part + suffix;
      suffix = '';
      if (line.trim() !== '') last.push(line);
      end = start;
    }
  }
  if (last.length < count && suffix.trim() !== '') last.push(suffix);
  return last;
}

function lastNewline(piece: LogPiece, from: number): number {
  return typeof piece === 'string' ? piece.lastIndexOf('\n', from) : piece.lastIndexOf(LF, from);
}

function slice(piece: LogPiece, start: number, end: number): string {
  return typeof piece === 'string' ? piece.slice(start, end) : piece.toString('utf8', start, end);
}
