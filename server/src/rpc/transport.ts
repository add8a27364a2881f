import type { Readable, Writable } from 'node:stream';
import { DEFAULT_MAX_MESSAGE_BYTES } from '@baton/protocol';
import { FrameParser } from './frameParser';
import { FrameWriter, type FramePriority } from './frameWriter';

export type { FramePriority } from './frameWriter';

/** What a transport reports while reading. */
export interface TransportEvents {
  /** A complete frame body. */
  onFrame(body: Buffer): void;
  /** A framing problem that was skipped (or the stream ended mid-frame); worth a log line. */
  onFrameError(message: string): void;
  /** The input ended or failed, or the output failed: the peer is gone. Called once. */
  onClose(reason: string): void;
}

/** Options of `createTransport`. */
export interface TransportOptions {
  /** Largest frame body accepted, in bytes (default 64 MiB). */
  readonly maxMessageBytes?: number;
}

/** Content-Length framing over a byte stream pair: one read loop, one ordered writer. */
export interface Transport {
  /**
   * Serialises a message once and writes header and body in one write. The
   * promise settles when the stream has handed it on. Answers keep their
   * order, and so do notifications; an answer may overtake notifications
   * waiting for the client to read (see `FrameWriter`).
   */
  write(message: unknown, priority?: FramePriority): Promise<void>;
  /** Bytes written but not yet taken by the peer (the output stream's buffer). */
  backlog(): number;
  /** Stops reading and forgets the streams' listeners. */
  dispose(): void;
}

/** Frames `message` as LSP base protocol bytes: header and body encoded into one Buffer, without a copy. */
export function encodeFrame(message: unknown): Buffer {
  const json = JSON.stringify(message);
  const length = Buffer.byteLength(json, 'utf8');
  const header = `Content-Length: ${length}\r\n\r\n`;
  const frame = Buffer.allocUnsafe(header.length + length);
  frame.write(header, 0, 'latin1');
  frame.write(json, header.length, 'utf8');
  return frame;
}

/** Connects a frame parser to `input` and a frame writer to `output`. */
export function createTransport(
  input: Readable,
  output: Writable,
  events: TransportEvents,
  options: TransportOptions = {},
): Transport {
  const parser = new FrameParser(events, options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES);
  let closed = false;
  const close = (reason: string): void => {
    if (closed) return;
    closed = true;
    events.onClose(reason);
  };
  const onData = (chunk: Buffer | string): void => {
    parser.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  };
  const onEnd = (): void => {
    if (parser.isMidFrame()) events.onFrameError('The input ended in the middle of a frame');
    close('the input stream ended');
  };
  const onInputError = (error: Error): void => close(`the input stream failed: ${error.message}`);
  const onOutputError = (error: Error): void => close(`the output stream failed: ${error.message}`);
  input.on('data', onData);
  input.on('end', onEnd);
  input.on('error', onInputError);
  output.on('error', onOutputError);

  const writer = new FrameWriter(output, () => closed);
  return {
    write: (message, priority = 'answer') => writer.write(encodeFrame(message), priority),
    backlog: () => writer.backlog(),
    dispose: () => {
      writer.release();
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', onInputError);
      // The output error listener stays: a late EPIPE must not become an uncaught exception.
    },
  };
}
