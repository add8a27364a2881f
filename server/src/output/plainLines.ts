/**
 * The fast path of the output processor: finds, in raw output bytes, the
 * runs of complete lines that the per-line rules would pass through
 * unchanged, so they can go to the log as the very bytes the stage printed,
 * without being decoded, split into lines and scanned one by one.
 *
 * A line needs the per-line rules when it holds one of a few markers, found
 * with `Buffer.indexOf` over a whole run (a native scan, many lines at once):
 * - `::` or `##` at its start (a workflow or vendor command, `::add-mask::`,
 *   the token that resumes `::stop-commands::`);
 * - a carriage return anywhere (a progress-bar redraw, a bare `n/total`
 *   counter, a `\r\n` ending that the log turns into `\n`);
 * - the OSC 9;4 progress sequence, or a tqdm bar's `%|`;
 * - a value to mask.
 * A run that is not valid UTF-8 also takes the per-line path, since decoding
 * replaces the bad bytes (the log then holds what the decoder made of them).
 * Every other line comes out of the per-line rules as its own text plus `\n`,
 * which is exactly its bytes: that is what makes passing them through safe.
 */
import { isUtf8 } from 'node:buffer';

const LF = 0x0a;

/**
 * Markers that count only at the start of a line. The needle is the marker
 * alone, and a find not at a line start is passed over: a needle beginning
 * with `\n` would stop the native search at every line.
 */
const LINE_START_MARKERS = [Buffer.from('::'), Buffer.from('##')];
/** Markers that count anywhere in a line. */
const ANYWHERE_MARKERS = [Buffer.from('\r'), Buffer.from('\x1b]9;4;'), Buffer.from('%|')];

/** Where the output goes: plain runs as they are, everything else to the per-line rules. */
export interface PlainLineSinks {
  /** Complete lines that the per-line rules would leave as they are (valid UTF-8, each ending in `\n`). */
  plain(bytes: Buffer): void;
  /** Bytes for the per-line rules, in order: lines with markers, unfinished lines. */
  marked(bytes: Buffer): void;
}

/** The next occurrence of one needle in a block, kept while the scan moves on. */
interface Cursor {
  readonly needle: Buffer;
  /** The needle counts only at a line start. */
  readonly lineStart: boolean;
  /** Where the needle was found last, -1 when it is not in the rest of the block. */
  at: number;
}

/** The values to mask, as the markers need them; they only ever grow. */
export interface SecretSource {
  /** How many values there are: it changes whenever one is added. */
  readonly size: number;
  values(): Iterable<string>;
}

/**
 * The markers of one output processor. The values to mask can change in the
 * middle of a block (an `::add-mask::` line, once handled, masks the lines
 * after it), so they are checked again after every marked line.
 */
export class LineMarkers {
  private secrets: readonly Buffer[] = [];
  private knownSecrets = 0;

  constructor(private readonly source: SecretSource) {}

  /**
   * Cuts `block` (complete lines: it starts a line and ends in `\n`) into
   * plain runs and marked lines, in order.
   */
  split(block: Buffer, sinks: PlainLineSinks): void {
    let cursors = this.cursors(block);
    let pos = 0;
    while (pos < block.length) {
      let hit = Infinity;
      let hitEnd = hit;
      for (const cursor of cursors) {
        if (cursor.at !== -1 && cursor.at < pos) cursor.at = find(block, cursor, pos);
        if (cursor.at !== -1 && cursor.at < hit) {
          hit = cursor.at;
          hitEnd = cursor.at + cursor.needle.length - 1;
        }
      }
      if (hit === Infinity) {
        emitPlain(block.subarray(pos), sinks);
        return;
      }
      // A marked line goes whole to the per-line rules (a secret across lines takes them all).
      const start = hit === 0 ? 0 : block.lastIndexOf(LF, hit - 1) + 1;
      const end = block.indexOf(LF, hitEnd) + 1;
      if (start > pos) emitPlain(block.subarray(pos, start), sinks);
      sinks.marked(block.subarray(start, end));
      pos = end;
      if (this.knownSecrets !== this.source.size) cursors = this.cursors(block, pos);
    }
  }

  private cursors(block: Buffer, from = 0): Cursor[] {
    if (this.knownSecrets !== this.source.size) {
      this.knownSecrets = this.source.size;
      this.secrets = [...this.source.values()].map((value) => Buffer.from(value, 'utf8'));
    }
    // Each cursor starts at or after `from` (every block position before it is handled).
    const cursor = (needle: Buffer, lineStart: boolean): Cursor => {
      const created = { needle, lineStart, at: -1 };
      created.at = find(block, created, from);
      return created;
    };
    return [
      ...LINE_START_MARKERS.map((needle) => cursor(needle, true)),
      ...ANYWHERE_MARKERS.map((needle) => cursor(needle, false)),
      ...this.secrets.map((needle) => cursor(needle, false)),
    ];
  }
}

function emitPlain(run: Buffer, sinks: PlainLineSinks): void {
  if (isUtf8(run)) sinks.plain(run);
  else sinks.marked(run);
}

/**
 * Where the cursor's needle next counts in `block` from `from`, -1 if
 * nowhere: a line-start marker only right after a `\n` or at the block's
 * start (a block starts a line).
 */
function find(block: Buffer, cursor: Cursor, from: number): number {
  let at = block.indexOf(cursor.needle, from);
  if (!cursor.lineStart) return at;
  while (at > 0 && block[at - 1] !== LF) at = block.indexOf(cursor.needle, at + 1);
  return at;
}

/**
 * Sorts one stream's chunks into plain runs and bytes for the per-line
 * rules. Only whole lines that begin at a line start the per-line rules have
 * also seen begin can be plain: the rest of a line begun in an earlier
 * chunk, and an unfinished last line, go to the per-line rules, which keep
 * their state (partial line, pending `\r`, split UTF-8 character) between chunks.
 */
export class PlainLineFilter {
  /** The per-line rules have no unfinished line: the next byte starts a line. */
  private atLineStart = true;

  constructor(
    private readonly markers: LineMarkers,
    private readonly sinks: PlainLineSinks,
  ) {}

  /** The per-line rules ended their unfinished line: the next byte starts a line. */
  lineEnded(): void {
    this.atLineStart = true;
  }

  /** Sorts one chunk. */
  push(chunk: Buffer): void {
    let pos = 0;
    if (!this.atLineStart) {
      const newline = chunk.indexOf(LF);
      if (newline === -1) {
        this.sinks.marked(chunk);
        return;
      }
      pos = newline + 1;
      this.sinks.marked(chunk.subarray(0, pos));
      this.atLineStart = true;
    }
    const lastNewline = chunk.lastIndexOf(LF);
    if (lastNewline >= pos) {
      this.markers.split(chunk.subarray(pos, lastNewline + 1), this.sinks);
      pos = lastNewline + 1;
    }
    if (pos < chunk.length) {
      this.sinks.marked(chunk.subarray(pos));
      this.atLineStart = false;
    }
  }
}
