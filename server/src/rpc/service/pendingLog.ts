/** A piece of a stage attempt's log to send, at its byte offset in the log. */
export interface LogPiece {
  readonly text: string;
  readonly offset: number;
  /** Bytes of `text` in UTF-8. */
  readonly bytes: number;
}

/**
 * Output of one stage attempt waiting to be sent, in the chunks it came in,
 * and the byte offset in the attempt's log where it starts. Sizes are kept in
 * UTF-16 units, which costs nothing per chunk; exact UTF-8 byte counts are
 * taken once per chunk, only when text is sent or skipped.
 */
export class PendingLog {
  private chunks: string[] = [];
  /** UTF-16 length of the chunks. */
  chars = 0;

  constructor(
    readonly key: string,
    readonly runId: string,
    readonly stage: string,
    readonly attempt: number,
    /** Byte offset in the attempt's log where the first chunk starts. */
    public offset: number,
  ) {}

  /** Adds output after what is pending. */
  add(text: string): void {
    this.chunks.push(text);
    this.chars += text.length;
  }

  /**
   * Drops whole chunks from the front, in one splice, until at most
   * `keepChars` are left (the newest chunk always stays); the offset moves
   * past them.
   */
  dropOldest(keepChars: number): void {
    let count = 0;
    let chars = this.chars;
    while (chars > keepChars && count < this.chunks.length - 1) {
      chars -= this.chunks[count]?.length ?? 0;
      count += 1;
    }
    if (count === 0) return;
    this.offset += byteLengthOf(this.chunks.splice(0, count));
    this.chars = chars;
  }

  /**
   * Takes everything pending when it fits in `maxChars`, else only the newest
   * text: about `maxChars` of it, starting at a line start when the tail has
   * one. What is left out is skipped (a gap the client reads with
   * `baton/getLog`). Leaves the log empty, its offset after the piece.
   */
  take(maxChars: number): LogPiece {
    let first = this.chunks.length;
    let tailChars = 0;
    while (first > 0 && tailChars < maxChars) {
      first -= 1;
      tailChars += this.chunks[first]?.length ?? 0;
    }
    const skippedChunks = byteLengthOf(this.chunks.slice(0, first));
    const tail = join(this.chunks.slice(first));
    const cut = cutPoint(tail, tail.length - Math.min(maxChars, tail.length));
    const text = cut === 0 ? tail : tail.slice(cut);
    const skipped = skippedChunks + (cut === 0 ? 0 : Buffer.byteLength(tail.slice(0, cut), 'utf8'));
    const bytes = Buffer.byteLength(text, 'utf8');
    const piece = { text, offset: this.offset + skipped, bytes };
    this.offset = piece.offset + bytes;
    this.chunks = [];
    this.chars = 0;
    return piece;
  }
}

/**
 * Where to start the newest part of `tail` that begins at or after `from`:
 * right after the first line break from there, so the client does not get
 * half a line, unless no line break leaves any text; never inside a
 * surrogate pair.
 */
function cutPoint(tail: string, from: number): number {
  if (from <= 0) return 0;
  if (tail.charCodeAt(from - 1) === NEWLINE) return from;
  const lineBreak = tail.indexOf('\n', from);
  if (lineBreak >= 0 && lineBreak < tail.length - 1) return lineBreak + 1;
  return isLowSurrogate(tail.charCodeAt(from)) ? from - 1 : from;
}

const NEWLINE = 0x0a;

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function join(chunks: readonly string[]): string {
  return chunks.length === 1 ? (chunks[0] ?? '') : chunks.join('');
}

function byteLengthOf(chunks: readonly string[]): number {
  let bytes = 0;
  for (const chunk of chunks) bytes += Buffer.byteLength(chunk, 'utf8');
  return bytes;
}
