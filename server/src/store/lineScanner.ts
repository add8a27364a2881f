/**
 * Streams a file line by line with exact byte offsets, which `readline` does
 * not give: the event log needs them to tell a torn last line (no newline)
 * from a complete one and to truncate exactly after the last good line.
 */
import { createReadStream } from 'node:fs';

/** One newline-terminated line of a file. */
export interface ScannedLine {
  readonly kind: 'line';
  /** 1-based line number. */
  readonly line: number;
  /** The line's text without its newline (and without a trailing `\r`). */
  readonly text: string;
  /** Byte offset just after the newline. */
  readonly end: number;
}

/** A line longer than the scanner's limit; its content is skipped, not buffered. */
export interface OversizedLine {
  readonly kind: 'oversized';
  readonly line: number;
  readonly bytes: number;
  readonly end: number;
}

/** Bytes after the last newline: a line whose writer did not finish. */
export interface TornTail {
  readonly kind: 'torn';
  readonly line: number;
  readonly text: string;
  /** Byte offset where the torn line starts (the length of the intact part). */
  readonly start: number;
  readonly bytes: number;
}

/** What `scanLines` yields. */
export type ScanItem = ScannedLine | OversizedLine | TornTail;

/** Default longest line kept in memory (16 MiB); longer lines are reported, not read. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

function decodeLine(parts: Buffer[]): string {
  const text = Buffer.concat(parts).toString('utf8');
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

/**
 * Yields the lines of `file` in order, then a `torn` item if the file does not
 * end with a newline. Memory stays bounded by the chunk size plus the longest
 * line kept (`maxLineBytes`).
 */
export async function* scanLines(
  file: string,
  maxLineBytes = DEFAULT_MAX_LINE_BYTES,
): AsyncGenerator<ScanItem> {
  for await (const batch of scanLineBatches(file, maxLineBytes)) yield* batch;
}

/**
 * `scanLines`, one array per chunk read: a reader of a whole file then pays one
 * asynchronous step per 64 KiB instead of one per line.
 */
export async function* scanLineBatches(
  file: string,
  maxLineBytes = DEFAULT_MAX_LINE_BYTES,
): AsyncGenerator<ScanItem[]> {
  let parts: Buffer[] = [];
  let partBytes = 0;
  let oversized = false;
  let lineStart = 0;
  let position = 0;
  let line = 1;
  for await (const chunk of createReadStream(file, { highWaterMark: 64 * 1024 })) {
    const buffer = chunk as Buffer;
    const batch: ScanItem[] = [];
    let from = 0;
    for (let nl = buffer.indexOf(0x0a, from); nl !== -1; nl = buffer.indexOf(0x0a, from)) {
      const end = position + nl + 1;
      const bytes = partBytes + nl - from;
      if (oversized || bytes > maxLineBytes) {
        batch.push({ kind: 'oversized', line, bytes, end });
      } else {
        parts.push(buffer.subarray(from, nl));
        batch.push({ kind: 'line', line, text: decodeLine(parts), end });
      }
      parts = [];
      partBytes = 0;
      oversized = false;
      lineStart = end;
      line += 1;
      from = nl + 1;
    }
    const rest = buffer.length - from;
    partBytes += rest;
    if (partBytes > maxLineBytes) {
      oversized = true;
      parts = [];
    } else if (rest > 0) {
      // Copy: the stream may reuse its chunk buffers.
      parts.push(Buffer.from(buffer.subarray(from)));
    }
    position += buffer.length;
    if (batch.length > 0) yield batch;
  }
  if (partBytes > 0) {
    const text = oversized ? '' : decodeLine(parts);
    yield [{ kind: 'torn', line, text, start: lineStart, bytes: partBytes }];
  }
}
