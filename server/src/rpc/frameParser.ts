/**
 * An incremental parser for the LSP base protocol's framing:
 * `Content-Length: N\r\n` (+ other headers) `\r\n` + N bytes of UTF-8 JSON.
 *
 * It works on raw Buffers, so a multi-byte character split across chunks is
 * never decoded half-way. Broken input never throws and never makes it hold
 * more than one frame's worth of bytes: a bad header, an invalid or oversized
 * `Content-Length` is reported and the parser drops bytes up to the next
 * `Content-Length:` header (resynchronising).
 */

/** Largest header part accepted; real headers are well under 200 bytes. */
const MAX_HEADER_BYTES = 8 * 1024;
const HEADER_END = Buffer.from('\r\n\r\n', 'latin1');
const CONTENT_LENGTH = 'content-length:';

/** What the parser reports to its owner. */
export interface FrameSink {
  /** A complete frame body (exactly `Content-Length` bytes). */
  onFrame(body: Buffer): void;
  /** A framing problem that was skipped over; the parser carries on. */
  onFrameError(message: string): void;
}

type Mode =
  | { readonly kind: 'header' }
  | { readonly kind: 'body'; readonly length: number; readonly discard: boolean }
  | { readonly kind: 'resync' };

/** Parses frames from chunks pushed into it; see the module comment. */
export class FrameParser {
  private mode: Mode = { kind: 'header' };
  /** Unparsed bytes in header and resync mode. */
  private pending: Buffer = Buffer.alloc(0);
  /** Body chunks received so far in body mode, and their total length. */
  private bodyChunks: Buffer[] = [];
  private bodyReceived = 0;

  /** Frames larger than `maxMessageBytes` are rejected before any byte of them is stored. */
  constructor(
    private readonly sink: FrameSink,
    private readonly maxMessageBytes: number,
  ) {}

  /** Feeds the next chunk of the stream. */
  push(chunk: Buffer): void {
    let rest: Buffer | undefined = chunk;
    while (rest !== undefined && rest.length > 0) {
      rest =
        this.mode.kind === 'body' ? this.takeBody(rest, this.mode) : this.takeHeaderBytes(rest);
    }
  }

  /**
   * Bytes held outside a frame body: a partial header part, or the short tail
   * kept while resynchronising (never more than a header part's limit, so junk
   * cannot grow memory). Exposed so tests can hold the parser to that bound.
   */
  get heldBytes(): number {
    return this.pending.length;
  }

  /** True when the parser holds part of a frame (used to report a stream that ended mid-frame). */
  isMidFrame(): boolean {
    if (this.mode.kind === 'body') return true;
    return this.mode.kind === 'header' && this.pending.toString('latin1').trim().length > 0;
  }

  /** Header or resync mode: buffers bytes until a header part is complete. Returns what it did not consume. */
  private takeHeaderBytes(chunk: Buffer): Buffer | undefined {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    if (this.mode.kind === 'resync' && !this.findHeaderStart()) return undefined;
    const end = this.pending.indexOf(HEADER_END);
    if (end < 0) {
      if (this.pending.length > MAX_HEADER_BYTES) {
        this.fail(`a header part longer than ${MAX_HEADER_BYTES} bytes`);
        return this.drainPending();
      }
      return undefined;
    }
    const header = this.pending.subarray(0, end).toString('latin1');
    const after = this.pending.subarray(end + HEADER_END.length);
    const parsed = this.parseHeader(header);
    if (typeof parsed === 'string') {
      this.fail(parsed);
      return this.drainPending();
    }
    this.pending = Buffer.alloc(0);
    this.mode = { kind: 'body', length: parsed.length, discard: parsed.discard };
    this.bodyChunks = [];
    this.bodyReceived = 0;
    if (parsed.length === 0) return this.takeBody(after, this.mode);
    return after;
  }

  /**
   * Resync mode: looks for `Content-Length:` in the pending bytes. On a hit,
   * drops what precedes it and returns to header mode; otherwise keeps only a
   * tail short enough to hold a split header name, so memory stays bounded.
   */
  private findHeaderStart(): boolean {
    const text = this.pending.toString('latin1').toLowerCase();
    const at = text.indexOf(CONTENT_LENGTH);
    if (at < 0) {
      this.pending = Buffer.from(this.pending.subarray(-(CONTENT_LENGTH.length - 1)));
      return false;
    }
    this.pending = this.pending.subarray(at);
    this.mode = { kind: 'header' };
    return true;
  }

  /** Enters resync mode, skipping the first pending byte so the bad header itself is not found again. */
  private drainPending(): Buffer | undefined {
    const rest = this.pending.subarray(1);
    this.pending = Buffer.alloc(0);
    this.mode = { kind: 'resync' };
    return rest;
  }

  /** Body mode: collects exactly `length` bytes, then delivers (or discards) them. */
  private takeBody(chunk: Buffer, mode: { length: number; discard: boolean }): Buffer | undefined {
    const needed = mode.length - this.bodyReceived;
    const piece = chunk.length <= needed ? chunk : chunk.subarray(0, needed);
    if (!mode.discard) this.bodyChunks.push(piece);
    this.bodyReceived += piece.length;
    if (this.bodyReceived < mode.length) return undefined;
    const body = Buffer.concat(this.bodyChunks, mode.discard ? 0 : mode.length);
    this.bodyChunks = [];
    this.bodyReceived = 0;
    this.mode = { kind: 'header' };
    if (!mode.discard) this.sink.onFrame(body);
    return chunk.length > needed ? chunk.subarray(needed) : undefined;
  }

  /** Parses a header part; a string result says what is wrong with it. */
  private parseHeader(header: string): { length: number; discard: boolean } | string {
    let length: number | undefined;
    let discard = false;
    for (const line of header.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon <= 0) return `a malformed header line ${JSON.stringify(line.slice(0, 80))}`;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'content-length') {
        if (!/^\d{1,16}$/.test(value))
          return `an invalid Content-Length ${JSON.stringify(value.slice(0, 40))}`;
        length = Number(value);
        if (length > this.maxMessageBytes) {
          return `a Content-Length of ${value} bytes, above the limit of ${this.maxMessageBytes}`;
        }
      } else if (name === 'content-type' && !isUtf8ContentType(value)) {
        this.sink.onFrameError(
          `a frame with an unsupported Content-Type ${JSON.stringify(value)} was skipped`,
        );
        discard = true;
      }
    }
    if (length === undefined) return 'a header without Content-Length';
    return { length, discard };
  }

  private fail(what: string): void {
    this.sink.onFrameError(`Framing error: ${what}; skipping to the next Content-Length header`);
  }
}

/** True for a Content-Type whose charset (if any) is UTF-8. */
function isUtf8ContentType(value: string): boolean {
  const match = /charset\s*=\s*"?([^";\s]+)/i.exec(value);
  if (!match?.[1]) return true;
  const charset = match[1].toLowerCase();
  return charset === 'utf-8' || charset === 'utf8';
}
