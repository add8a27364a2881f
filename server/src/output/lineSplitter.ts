/**
 * Cuts a stream of byte chunks into lines: Baton's one line splitter, for
 * stage output and for tailed files alike. Chunks may end anywhere,
 * including inside a UTF-8 character or between `\r` and `\n`; the splitter
 * carries the remainder to the next chunk. Memory stays bounded whatever a
 * program prints: a line longer than the limit is delivered in pieces.
 */
import { StringDecoder } from 'node:string_decoder';

/**
 * How a delivered piece of text ended:
 * - `newline`: `\n` or `\r\n`, an ordinary line;
 * - `carriageReturn`: a lone `\r`, so the next text overwrites this one (progress bars);
 * - `split`: the line reached the length limit and continues in the next piece;
 * - `end`: the stream ended without a final newline.
 */
export type LineEnding = 'newline' | 'carriageReturn' | 'split' | 'end';

/** Receives each line; `text` excludes the line terminator. */
export type LineListener = (text: string, ending: LineEnding) => void;

/** Default longest line, in UTF-16 code units, before it is split into pieces. */
export const DEFAULT_MAX_LINE_LENGTH = 64 * 1024;

/**
 * What a lone `\r` means: `overwrite`, a terminal's meaning (the text before
 * it is done and the next text redraws it, as progress bars do), or `text`,
 * an ordinary character, as in a file read line by line (only `\n` and
 * `\r\n` end lines, and a `\r` at the very end is dropped).
 */
export type CarriageReturnMeaning = 'overwrite' | 'text';

const LF = 10;

/** The incremental splitter; see the module comment. */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  /** The unterminated text since the last line end. */
  private partial = '';
  /** A `\r` ended the last chunk: a following `\n` makes it `\r\n`. */
  private pendingCarriageReturn = false;
  /** The current partial text follows a lone `\r` (it is a progress-bar update in the making). */
  private afterCarriageReturn = false;

  constructor(
    private readonly listener: LineListener,
    private readonly maxLineLength = DEFAULT_MAX_LINE_LENGTH,
    private readonly carriageReturn: CarriageReturnMeaning = 'overwrite',
  ) {
    if (!(maxLineLength >= 2)) throw new RangeError('maxLineLength must be at least 2');
  }

  /** Feeds one chunk of raw output. */
  push(chunk: Buffer): void {
    this.pushText(this.decoder.write(chunk));
  }

  /** Delivers what is left (a partial line, a pending `\r`) at the end of the stream. */
  flush(): void {
    this.pushText(this.decoder.end());
    if (this.pendingCarriageReturn) {
      this.pendingCarriageReturn = false;
      if (this.carriageReturn === 'overwrite') this.emit('carriageReturn');
    }
    if (this.partial !== '') this.emit('end');
  }

  /** Forgets the unfinished line and any pending bytes (the stream starts over, as a truncated file does). */
  reset(): void {
    this.decoder.end();
    this.partial = '';
    this.pendingCarriageReturn = false;
    this.afterCarriageReturn = false;
  }

  /**
   * Ends the current line as a newline would, if one is open (text since the
   * last line end, or a `\r` whose meaning the next chunk would have told).
   */
  endLine(): void {
    if (this.partial === '' && !this.pendingCarriageReturn) return;
    this.pendingCarriageReturn = false;
    this.emit('newline');
  }

  /** The text received since the last line end, not yet delivered. */
  currentPartial(): string {
    return this.partial;
  }

  /** Whether the current partial text began after a lone `\r` (an overwrite, as progress bars do). */
  partialFollowsCarriageReturn(): boolean {
    return this.afterCarriageReturn || this.pendingCarriageReturn;
  }

  private pushText(text: string): void {
    let start = 0;
    if (this.pendingCarriageReturn && text.length > 0) {
      this.pendingCarriageReturn = false;
      if (text.charCodeAt(0) === LF) {
        start = 1;
        this.emit('newline');
      } else {
        this.loneCarriageReturn();
      }
    }
    // indexOf runs natively and skips long runs of text far faster than a per-character loop.
    let lf = text.indexOf('\n', start);
    let cr = text.indexOf('\r', start);
    while (lf !== -1 || cr !== -1) {
      const end = cr === -1 || (lf !== -1 && lf < cr) ? lf : cr;
      this.append(text, start, end);
      start = end + 1;
      if (end === lf) {
        this.emit('newline');
      } else if (end + 1 === text.length) {
        // Whether this is `\r\n` is only known with the next chunk.
        this.pendingCarriageReturn = true;
      } else if (text.charCodeAt(end + 1) === LF) {
        start = end + 2;
        this.emit('newline');
      } else {
        this.loneCarriageReturn();
      }
      if (lf !== -1 && lf < start) lf = text.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = text.indexOf('\r', start);
    }
    this.append(text, start, text.length);
  }

  /** A `\r` not followed by `\n`: the end of an overwritten text, or a character of the line. */
  private loneCarriageReturn(): void {
    if (this.carriageReturn === 'overwrite') this.emit('carriageReturn');
    else this.append('\r', 0, 1);
  }

  /** Adds text[from, to) to the partial line, delivering full-length pieces as the limit is passed. */
  private append(text: string, from: number, to: number): void {
    while (to - from > this.maxLineLength - this.partial.length) {
      let take = this.maxLineLength - this.partial.length;
      // Never split a surrogate pair: each piece must stay valid text.
      if (take > 0 && isHighSurrogate(text.charCodeAt(from + take - 1))) take -= 1;
      this.partial += text.slice(from, from + take);
      from += take;
      this.emit('split');
    }
    if (from < to) this.partial += text.slice(from, to);
  }

  private emit(ending: LineEnding): void {
    const text = this.partial;
    this.partial = '';
    this.afterCarriageReturn = ending === 'carriageReturn';
    if (ending === 'split') this.afterCarriageReturn = false;
    this.listener(text, ending);
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
