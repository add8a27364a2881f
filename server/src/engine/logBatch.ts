/**
 * One batch of a stage attempt's log text as the `'log'` engine event
 * carries it: the pieces it was written in (masked lines as strings, plain
 * runs as the very bytes the stage printed), with its length in UTF-8 bytes
 * known up front and its text decoded only when a listener reads it.
 *
 * Under a flood most text never needs decoding: the live log sends only the
 * newest part of it and skips the rest by byte count, so decoding every
 * batch for the event cost a copy of every byte and the garbage to collect.
 */

/** A piece of log text: a masked line (or lines), or a plain run of valid UTF-8 bytes. */
export type LogPiece = string | Buffer;

/** Text whose UTF-8 length is known without encoding it: what the live log holds. */
export interface SizedText {
  /** The text (a {@link LogBatch} decodes it on first read). */
  readonly text: string;
  /** Bytes of `text` in UTF-8. */
  readonly bytes: number;
}

/** The payload of a `'log'` event; see the module comment. */
export class LogBatch implements SizedText {
  private pieces: readonly LogPiece[] | undefined;
  private decoded: string | undefined;

  constructor(
    readonly runId: string,
    readonly stage: string,
    readonly attempt: number,
    pieces: readonly LogPiece[],
    /** Bytes of the pieces in UTF-8. */
    readonly bytes: number,
  ) {
    this.pieces = pieces;
  }

  /** The batch's text, decoded on first read. */
  get text(): string {
    if (this.decoded === undefined) {
      this.decoded = decode(this.pieces ?? []);
      // The text now stands for the pieces: the bytes need not stay alive with it.
      this.pieces = undefined;
    }
    return this.decoded;
  }
}

/** UTF-8 bytes of a batch's pieces. */
export function byteLengthOfPieces(pieces: readonly LogPiece[]): number {
  let bytes = 0;
  for (const piece of pieces) {
    bytes += typeof piece === 'string' ? Buffer.byteLength(piece, 'utf8') : piece.length;
  }
  return bytes;
}

function decode(pieces: readonly LogPiece[]): string {
  // Concatenation, not join: V8 links the pieces instead of copying them.
  let text = '';
  for (const piece of pieces) text += typeof piece === 'string' ? piece : piece.toString('utf8');
  return text;
}
