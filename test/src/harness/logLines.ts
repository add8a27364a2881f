import type { Readable } from 'node:stream';

/**
 * Calls `onLine` for every complete line `stream` emits (the last, unterminated
 * one too, when the stream ends).
 */
export function forEachLine(stream: Readable, onLine: (line: string) => void): void {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) onLine(line.replace(/\r$/, ''));
  });
  stream.on('end', () => {
    if (buffered !== '') onLine(buffered);
  });
}

/** Writes `line` to stdout with a `[source]` prefix, so interleaved logs stay readable. */
export function logLine(source: string, line: string): void {
  process.stdout.write(`[${source}] ${line}\n`);
}
