import * as assert from 'node:assert/strict';
import { FrameParser } from '../../src/rpc/frameParser';
import { encodeFrame } from '../../src/rpc/transport';

/** A parser that records what it reports. */
function recordingParser(maxMessageBytes = 1024 * 1024): {
  parser: FrameParser;
  frames: string[];
  errors: string[];
} {
  const frames: string[] = [];
  const errors: string[] = [];
  const parser = new FrameParser(
    {
      onFrame: (body) => frames.push(body.toString('utf8')),
      onFrameError: (message) => errors.push(message),
    },
    maxMessageBytes,
  );
  return { parser: withStepLimit(parser), frames, errors };
}

/** Far more parsing steps than any test here needs (megabytes of junk take a few hundred). */
const STEP_LIMIT = 100_000;

/**
 * Counts the parser's steps (each turn of `push`'s loop calls one of these
 * methods) and throws past {@link STEP_LIMIT}. A synchronous loop that never
 * ends cannot be stopped by mocha's timeout: this turns one into a failure.
 */
function withStepLimit(parser: FrameParser): FrameParser {
  const methods = parser as unknown as Record<string, (...args: unknown[]) => unknown>;
  let steps = 0;
  for (const name of ['takeHeaderBytes', 'takeBody']) {
    const original = methods[name];
    assert.ok(original, `FrameParser has no method ${name} to count`);
    methods[name] = (...args: unknown[]): unknown => {
      steps += 1;
      if (steps > STEP_LIMIT) throw new Error(`FrameParser took over ${STEP_LIMIT} steps: a loop`);
      return original.apply(parser, args);
    };
  }
  return parser;
}

/** Length of `Content-Length:` less one: the longest split header name the resync tail must keep. */
const RESYNC_TAIL = 'content-length:'.length - 1;

describe('FrameParser', () => {
  it('parses frames whatever the chunking, even one byte at a time through multi-byte characters', () => {
    const messages = [{ text: 'héllo ✓ 🎉' }, { n: 2 }, { text: '日本語' }];
    const bytes = Buffer.concat(messages.map((m) => encodeFrame(m)));
    for (const size of [1, 2, 3, 7, 64, bytes.length]) {
      const { parser, frames, errors } = recordingParser();
      for (let at = 0; at < bytes.length; at += size) parser.push(bytes.subarray(at, at + size));
      assert.deepEqual(
        frames.map((f) => JSON.parse(f) as unknown),
        messages,
        `chunk size ${size}`,
      );
      assert.deepEqual(errors, []);
    }
  });

  it('counts Content-Length in bytes, not characters', () => {
    const { parser, frames } = recordingParser();
    const body = Buffer.from('"€"', 'utf8');
    parser.push(Buffer.from(`Content-Length: ${body.length}\r\n\r\n`));
    parser.push(body);
    assert.deepEqual(frames, ['"€"']);
  });

  it('accepts a UTF-8 Content-Type, case-insensitive header names and extra headers', () => {
    const { parser, frames, errors } = recordingParser();
    parser.push(
      Buffer.from(
        'content-length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\nX-Extra: 1\r\n\r\n{}',
      ),
    );
    assert.deepEqual(frames, ['{}']);
    assert.deepEqual(errors, []);
  });

  it('skips a frame with another charset and keeps going', () => {
    const { parser, frames, errors } = recordingParser();
    parser.push(
      Buffer.from('Content-Length: 2\r\nContent-Type: text/plain; charset=latin1\r\n\r\n{}'),
    );
    parser.push(encodeFrame({ ok: true }));
    assert.deepEqual(frames, ['{"ok":true}']);
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? '', /Content-Type/);
  });

  it('resynchronises after garbage, a header without length and a non-numeric length', () => {
    const { parser, frames, errors } = recordingParser();
    parser.push(Buffer.from('garbage\r\n\r\n'));
    parser.push(Buffer.from('X-Only: 1\r\n\r\n'));
    parser.push(Buffer.from('Content-Length: abc\r\n\r\n'));
    parser.push(Buffer.from('Content-Length: -5\r\n\r\n'));
    parser.push(encodeFrame({ after: 1 }));
    assert.deepEqual(frames, ['{"after":1}']);
    assert.equal(errors.length, 3, 'the X-Only header is skipped silently while resynchronising');
  });

  it('finds a header that starts right after junk on the same line', () => {
    const { parser, frames } = recordingParser();
    parser.push(Buffer.concat([Buffer.from('xyz'), encodeFrame({ a: 1 })]));
    assert.deepEqual(frames, ['{"a":1}']);
  });

  it('refuses an oversized Content-Length without waiting for (or storing) its body', () => {
    const { parser, frames, errors } = recordingParser(1000);
    parser.push(Buffer.from('Content-Length: 99999999999999\r\n\r\n'));
    parser.push(encodeFrame({ next: true }));
    assert.deepEqual(frames, ['{"next":true}']);
    assert.match(errors[0] ?? '', /above the limit of 1000/);
    const { parser: p2, frames: f2 } = recordingParser(1000);
    p2.push(Buffer.from('Content-Length: 1001\r\n\r\n'));
    p2.push(encodeFrame({ next: 2 }));
    assert.deepEqual(f2, ['{"next":2}']);
  });

  it('accepts a frame of exactly the maximum size', () => {
    const { parser, frames } = recordingParser(10);
    parser.push(Buffer.from('Content-Length: 10\r\n\r\n"12345678"'));
    assert.deepEqual(frames, ['"12345678"']);
  });

  it('gives up on an endless header and resynchronises', () => {
    const { parser, frames, errors } = recordingParser();
    parser.push(Buffer.from(`X-Long: ${'a'.repeat(20000)}`));
    assert.equal(errors.length, 1);
    parser.push(Buffer.from('\r\n\r\n'));
    parser.push(encodeFrame([1]));
    assert.deepEqual(frames, ['[1]']);
  });

  it('keeps only a short tail while skipping megabytes of junk', () => {
    const { parser, frames } = recordingParser();
    parser.push(Buffer.from('bad header\r\n\r\n'));
    for (let i = 0; i < 64; i++) {
      parser.push(Buffer.alloc(64 * 1024, 0x61));
      assert.equal(parser.heldBytes, RESYNC_TAIL, `after ${i + 1} chunks of junk`);
    }
    parser.push(Buffer.from('Content-Len'));
    parser.push(Buffer.from('gth: 2\r\n\r\n{}'));
    assert.deepEqual(frames, ['{}']);
    assert.equal(parser.heldBytes, 0);
  });

  it('keeps a header name cut right before its colon while skipping junk', () => {
    // The whole name is the tail: one byte less would lose the frame.
    const { parser, frames, errors } = recordingParser();
    parser.push(Buffer.from('bad header\r\n\r\n'));
    parser.push(Buffer.from(`${'j'.repeat(1000)}Content-Length`));
    parser.push(Buffer.from(': 2\r\n\r\n{}'));
    assert.deepEqual(frames, ['{}']);
    assert.equal(errors.length, 1);
  });

  it('delivers a zero-length body that ends a chunk at once', () => {
    const { parser, frames } = recordingParser();
    parser.push(Buffer.from('Content-Length: 0\r\n\r\n'));
    assert.deepEqual(frames, ['']);
    assert.equal(parser.isMidFrame(), false);
  });

  it('refuses a header line with nothing before its colon', () => {
    const { parser, frames, errors } = recordingParser();
    parser.push(Buffer.from('Content-Length: 2\r\n: x\r\n\r\n{}'));
    assert.deepEqual(frames, []);
    assert.match(errors[0] ?? '', /malformed header line ": x"/);
    parser.push(Buffer.from('Content-Length: 4\r\n\r\n"ok"'));
    assert.deepEqual(frames, ['"ok"']);
  });

  it('accepts charset=utf8 (no hyphen) as UTF-8', () => {
    const { parser, frames, errors } = recordingParser();
    parser.push(
      Buffer.from(
        'Content-Length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf8\r\n\r\n{}',
      ),
    );
    assert.deepEqual(frames, ['{}']);
    assert.deepEqual(errors, []);
  });

  it('knows it is mid-frame inside a header, but not on blank lines or while skipping junk', () => {
    const { parser } = recordingParser();
    parser.push(Buffer.from('\r\n '));
    assert.equal(parser.isMidFrame(), false, 'only blank bytes so far');
    parser.push(Buffer.from('Content-Len'));
    assert.equal(parser.isMidFrame(), true, 'half a header name');
    parser.push(Buffer.from('gth: 2\r\n'));
    assert.equal(parser.isMidFrame(), true, 'a header line without the blank line');
    const other = recordingParser().parser;
    other.push(Buffer.from('junk\r\n\r\nmore junk'));
    assert.equal(other.isMidFrame(), false, 'resynchronising holds no frame');
  });

  it('delivers an empty body as an (unparsable) frame', () => {
    const { parser, frames } = recordingParser();
    parser.push(Buffer.from('Content-Length: 0\r\n\r\nContent-Length: 2\r\n\r\n{}'));
    assert.deepEqual(frames, ['', '{}']);
  });

  it('knows when the stream stopped in the middle of a frame', () => {
    const { parser } = recordingParser();
    assert.equal(parser.isMidFrame(), false);
    parser.push(Buffer.from('Content-Length: 10\r\n\r\n{"a"'));
    assert.equal(parser.isMidFrame(), true);
    parser.push(Buffer.from(':1234}'));
    assert.equal(parser.isMidFrame(), false);
  });

  describe('header details (each pinned by a mutant that survived)', () => {
    it('reads a header part that starts with its blank line as malformed, then resynchronises', () => {
      const { parser, frames, errors } = recordingParser();
      parser.push(Buffer.from('\r\n\r\nContent-Length: 2\r\n\r\n{}'));
      assert.deepEqual(frames, ['{}']);
      assert.match(errors[0] ?? '', /malformed header line ""/);
    });

    it('accepts a header part of exactly 8 KiB and says how long one may be when it is longer', () => {
      const { parser, frames, errors } = recordingParser();
      const start = 'Content-Length: 2\r\nX-Pad: ';
      parser.push(Buffer.from(start + 'p'.repeat(8 * 1024 - start.length)));
      assert.deepEqual(errors, [], 'not yet too long');
      parser.push(Buffer.from('\r\n\r\n{}'));
      assert.deepEqual(frames, ['{}']);
      const endless = recordingParser();
      endless.parser.push(Buffer.from('X'.repeat(8 * 1024 + 1)));
      assert.match(endless.errors[0] ?? '', /a header part longer than 8192 bytes/);
    });

    it('quotes at most 80 characters of a malformed line and 40 of a bad length', () => {
      const { parser, errors } = recordingParser();
      parser.push(Buffer.from(`${'m'.repeat(200)}\r\n\r\n`));
      assert.ok(errors[0]?.includes(`"${'m'.repeat(80)}"`), errors[0]);
      const long = recordingParser();
      long.parser.push(Buffer.from(`Content-Length: ${'x'.repeat(100)}\r\n\r\n`));
      assert.ok(long.errors[0]?.includes(`"${'x'.repeat(40)}"`), long.errors[0]);
    });

    it('refuses a length with trailing junk and names a header without any length', () => {
      const { parser, frames, errors } = recordingParser();
      parser.push(Buffer.from('Content-Length: 2x\r\n\r\n{}'));
      assert.deepEqual(frames, []);
      assert.match(errors[0] ?? '', /an invalid Content-Length "2x"/);
      const none = recordingParser();
      none.parser.push(Buffer.from('X-Only: 1\r\n\r\n'));
      assert.match(none.errors[0] ?? '', /a header without Content-Length/);
    });

    it('trims spaces around a header name', () => {
      const { parser, frames, errors } = recordingParser();
      parser.push(Buffer.from('Content-Length : 2\r\n\r\n{}'));
      assert.deepEqual(frames, ['{}']);
      assert.deepEqual(errors, []);
    });

    it('looks for a charset only in Content-Type, and finds one written with spaces', () => {
      const { parser, frames, errors } = recordingParser();
      parser.push(Buffer.from('Content-Length: 2\r\nX-Note: charset=latin1\r\n\r\n{}'));
      parser.push(
        Buffer.from('Content-Length: 2\r\nContent-Type: application/vscode-jsonrpc\r\n\r\n[]'),
      );
      assert.deepEqual(frames, ['{}', '[]']);
      assert.deepEqual(errors, []);
      parser.push(
        Buffer.from('Content-Length: 2\r\nContent-Type: text/x; charset = latin1\r\n\r\n{}'),
      );
      assert.deepEqual(frames, ['{}', '[]'], 'a latin1 frame is skipped');
      assert.match(errors[0] ?? '', /unsupported Content-Type/);
    });
  });
});
