import type { SizedText } from '../../engine/logBatch';

/** A piece of a stage attempt's log to send, at its byte offset in the log. */
export interface LogPiece {
  readonly text: string;
  readonly offset: number;
  /** Bytes of `text` in UTF-8. */
  readonly bytes: number;
}

/**
 * Output of one stage attempt waiting to be sent, in the batches it came in,
 * and the byte offset in the attempt's log where it starts. Sizes are in
 * UTF-8 bytes, which each batch knows without being decoded: batches dropped
 * or skipped are never decoded, only the text that is sent is.
 */
export class PendingLog {
  private chunks: SizedText[] = [];
  /** UTF-8 length of the chunks. */
  bytes = 0;

  constructor(
    readonly key: string,
    readonly runId: string,
    readonly stage: string,
    readonly attempt: number,
    /** Byte offset in the attempt's log where the first chunk starts. */
    public offset: number,
  ) {}

  /** Adds output after what is pending. */
  add(text: SizedText): void {
    this.chunks.push(text);
    this.bytes += text.bytes;
  }

  /**
   * Drops whole chunks from the front, in one splice, until at most
   * `keepBytes` are left (the newest chunk always stays); the offset moves
   * past them.
   */
  dropOldest(keepBytes: number): void {
    let count = 0;
    let bytes = this.bytes;
    while (bytes > keepBytes && count < this.chunks.length - 1) {
      const dropped = this.chunks[count]?.bytes ?? 0;
      bytes -= dropped;
      this.offset += dropped;
      count += 1;
    }
    if (count === 0) return;
    this.chunks.splice(0, count);
    this.bytes = bytes;
  }

  /**
   * Takes everything pending when it fits in `maxBytes`, else only the newest
   * text: about `maxBytes` of it, starting at a line start when the tail has
   * one. What is left out is skipped (a gap the client reads with
   * `baton/getLog`) without being decoded. Leaves the log empty, its offset after the piece.
   */
  take(maxBytes: number): LogPiece {
    let first = this.chunks.length;
    let tailBytes = 0;
    while (first > 0 && tailBytes < maxBytes) {
      first -= 1;
      tailBytes += this.chunks[first]?.bytes ?? 0;
    }
    const skippedChunks = this.bytes - tailBytes;
    const tail = join(this.chunks.slice(first));
    const cut = cutPoint(
      tail,
      charsFor(tail, tailBytes, tailBytes - Math.min(maxBytes, tailBytes)),
    );
    const text = cut === 0 ? tail : tail.slice(cut);
    const skippedInTail = cut === 0 ? 0 : bytesBefore(tail, tailBytes, cut);
    const piece = {
      text,
      offset: this.offset + skippedChunks + skippedInTail,
      bytes: tailBytes - skippedInTail,
    };
    this.offset = piece.offset + piece.bytes;
    this.chunks = [];
    this.bytes = 0;
    return piece;
  }
}

/**
 * About how many UTF-16 units of `text` (`bytes` long in UTF-8) its first
 * `leadBytes` bytes make: exact for ASCII, where units are bytes.
 */
function charsFor(text: string, bytes: number, leadBytes: number): number {
  if (bytes === text.length || bytes === 0) return leadBytes;
  return Math.floor((leadBytes * text.length) / bytes);
}

/** UTF-8 bytes of `text` (`bytes` long) before unit `at`; no encoding needed for ASCII. */
function bytesBefore(text: string, bytes: number, at: number): number {
  return bytes === text.length ? at : Buffer.byteLength(text.slice(0, at), 'utf8');
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

function join(chunks: readonly SizedText[]): string {
  if (chunks.length === 1) return chunks[0]?.text ?? '';
  let text = '';
  for (const chunk of chunks) text += chunk.text;
  return text;
}
