/**
 * Turns a stream of byte chunks into whole lines: UTF-8 characters split
 * across chunks are joined (StringDecoder keeps the incomplete bytes), `\r\n`
 * ends a line like `\n`, and text after the last newline is held until the
 * newline arrives or the owner decides the line is finished.
 */
import { StringDecoder } from 'node:string_decoder';

/** Default longest line held in memory before it is emitted in pieces (1 MiB of text). */
export const DEFAULT_MAX_LINE_LENGTH = 1024 * 1024;

/** Splits byte chunks into lines. */
export class LineSplitter {
  private decoder = new StringDecoder('utf8');
  private partial = '';

  constructor(private readonly maxLineLength = DEFAULT_MAX_LINE_LENGTH) {}

  /** Whether text without a newline is being held. */
  get hasPartial(): boolean {
    return this.partial !== '';
  }

  /** Adds bytes; returns the lines they complete, without their line endings. */
  push(bytes: Uint8Array): string[] {
    const text =
      this.partial +
      this.decoder.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    const pieces = text.split('\n');
    this.partial = pieces.pop() ?? '';
    const lines = pieces.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
    // A stream without newlines must not grow without bound: emit it in pieces.
    while (this.partial.length > this.maxLineLength) {
      lines.push(this.partial.slice(0, this.maxLineLength));
      this.partial = this.partial.slice(this.maxLineLength);
    }
    return lines;
  }

  /**
   * Ends the stream: returns the held text (plus any incomplete UTF-8 bytes,
   * decoded as replacement characters) as a last line, or undefined when
   * nothing is held. The splitter is ready for a new stream afterwards.
   */
  end(): string | undefined {
    const rest = this.partial + this.decoder.end();
    this.decoder = new StringDecoder('utf8');
    this.partial = '';
    if (rest === '') return undefined;
    return rest.endsWith('\r') ? rest.slice(0, -1) : rest;
  }

  /** Forgets everything held (used after a truncation). */
  reset(): void {
    this.decoder = new StringDecoder('utf8');
    this.partial = '';
  }
}
