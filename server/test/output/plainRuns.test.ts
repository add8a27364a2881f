import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Masker } from '../../src/output/masker';
import { StageOutputProcessor } from '../../src/output/stageOutput';
import type { OutputLine, StageOutputOptions } from '../../src/output/stageOutput';

const RUNS = 400;

type Stream = 'stdout' | 'stderr';

/** What the processor reported, in order: log text (with line ends), plain runs, everything else. */
type Item =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'plain'; readonly bytes: Buffer }
  | { readonly kind: 'other'; readonly report: unknown };

/** A processor whose sink records items, handing them out chunk by chunk. */
class ItemRecorder {
  private items: Item[] = [];
  readonly processor: StageOutputProcessor;

  constructor(options: StageOutputOptions) {
    const other = (report: unknown): number => this.items.push({ kind: 'other', report });
    this.processor = new StageOutputProcessor(
      {
        line: (line) => this.items.push({ kind: 'text', text: withEnding(line) }),
        plain: (bytes) => this.items.push({ kind: 'plain', bytes }),
        progress: (progress) => other({ progress }),
        prompt: (prompt) => other({ prompt }),
        annotation: (annotation) => other({ annotation }),
      },
      options,
    );
  }

  push(stream: Stream, chunk: Buffer): Item[] {
    this.processor.push(chunk, stream);
    return this.take();
  }

  end(): Item[] {
    this.processor.flush();
    return this.take();
  }

  partialLine(): string {
    return this.processor.partialLine('stdout');
  }

  private take(): Item[] {
    const items = this.items;
    this.items = [];
    return items;
  }
}

function withEnding(line: OutputLine): string {
  if (line.continues === true) return line.text;
  return line.kind === 'overwrite' ? `${line.text}\r` : `${line.text}\n`;
}

/**
 * Items with consecutive text joined, as the bytes the log gets (one byte per
 * character): what the engine makes of them, one log write per batch.
 */
function normalized(items: readonly Item[]): unknown[] {
  const out: unknown[] = [];
  for (const item of items) {
    const bytes = item.kind === 'text' ? Buffer.from(item.text, 'utf8') : undefined;
    const piece = (item.kind === 'plain' ? item.bytes : bytes)?.toString('latin1');
    if (piece === undefined) {
      out.push(item);
      continue;
    }
    const last = out.at(-1);
    if (typeof last === 'string') out[out.length - 1] = last + piece;
    else out.push(piece);
  }
  return out;
}

/** Pieces of output that exercise every rule the fast path must leave to the per-line path. */
const linePiece = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('plain line', 'héllo ✓ 日本 😀', '', '  ', 'a:b', '#x') },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      '::progress value=3,total=10::step',
      '::add-mask::s3cr3t-value',
      'token s3cr3t-value here',
      '::add-mask::fresh-value\nsee fresh-value?',
      'pipeline PIPE-SECRET leaks?',
      '::group::Build',
      '::endgroup::',
      '::stop-commands::tok',
      '::tok::',
      '::prompt id=p::Name?',
      '::warning file=a.py,line=3,col=2::careful',
      '::debug::dbg',
      '::set-output name=x::1',
      '##vso[task.setprogress value=50;]half',
      '##[group]azure',
      "##teamcity[progressMessage 'tc']",
      'bar 45%|████ | 45/100 [00:01<00:02]',
      'osc \x1b]9;4;1;50\x07 done',
      '\x1b]9;4;0;\x07',
      'file 3/10',
      'std::vector and ## inside',
    ),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.integer({ min: 50, max: 300 }).map((n) => 'x'.repeat(n)) },
);
const ending = fc.constantFrom('\n', '\n', '\n', '\n', '\r\n', '\r', '');
const invalidBytes = fc.constantFrom(
  Buffer.from([0xff, 0xfe]),
  Buffer.from([0xe2, 0x82]),
  Buffer.from([0xc3]),
  Buffer.from([0xed, 0xa0, 0x80]),
);

/** A stage's output: pieces of lines for stdout or stderr, some with broken UTF-8. */
const output = fc.array(
  fc.tuple(
    fc.constantFrom<Stream>('stdout', 'stdout', 'stderr'),
    fc.oneof(
      { weight: 9, arbitrary: fc.tuple(linePiece, ending).map(([l, e]) => Buffer.from(l + e)) },
      { weight: 1, arbitrary: invalidBytes },
    ),
  ),
  { maxLength: 40 },
);

/** Per stream, the bytes cut at the given points into chunks, interleaved in the order written. */
function chunks(pieces: readonly [Stream, Buffer][], cuts: readonly number[]): [Stream, Buffer][] {
  const joined: [Stream, Buffer][] = [];
  for (const [stream, bytes] of pieces) {
    const last = joined.at(-1);
    if (last?.[0] === stream) last[1] = Buffer.concat([last[1], bytes]);
    else joined.push([stream, bytes]);
  }
  const out: [Stream, Buffer][] = [];
  let cutIndex = 0;
  for (const [stream, bytes] of joined) {
    let start = 0;
    while (start < bytes.length) {
      const size = 1 + ((cuts[cutIndex++ % Math.max(1, cuts.length)] ?? 4096) % 600);
      out.push([stream, bytes.subarray(start, start + size)]);
      start += size;
    }
  }
  return out;
}

function compare(
  pieces: readonly [Stream, Buffer][],
  cuts: readonly number[],
  options: { maxLineLength?: number; secrets?: readonly string[] },
): void {
  const maxLineLength = options.maxLineLength ?? 64 * 1024;
  const masker = (): Masker => {
    const made = new Masker();
    for (const secret of options.secrets ?? []) made.add(secret);
    return made;
  };
  const fast = new ItemRecorder({ maxLineLength, masker: masker() });
  const slow = new ItemRecorder({ maxLineLength, masker: masker(), plainRuns: false });
  for (const [stream, chunk] of chunks(pieces, cuts)) {
    // The same chunk object to both: the parsers must not change it.
    assert.deepEqual(normalized(fast.push(stream, chunk)), normalized(slow.push(stream, chunk)));
    assert.equal(fast.partialLine(), slow.partialLine());
  }
  assert.deepEqual(normalized(fast.end()), normalized(slow.end()));
}

describe('StageOutputProcessor plain runs (the fast path)', () => {
  it('gives the same items, chunk by chunk, as the per-line path (property)', () => {
    fc.assert(
      fc.property(output, fc.array(fc.nat(), { maxLength: 30 }), (pieces, cuts) =>
        compare(pieces, cuts, {}),
      ),
      { numRuns: RUNS },
    );
  });

  it('gives the same items with secrets and lines longer than the limit (property)', () => {
    fc.assert(
      fc.property(
        output,
        fc.array(fc.nat(), { maxLength: 30 }),
        fc.integer({ min: 8, max: 120 }),
        (pieces, cuts, maxLineLength) =>
          compare(pieces, cuts, { maxLineLength, secrets: ['PIPE-SECRET', 'héllo'] }),
      ),
      { numRuns: RUNS },
    );
  });

  it('passes a flood of ordinary lines as plain runs, the bytes untouched', () => {
    const parser = new ItemRecorder({});
    const chunk = Buffer.from('line of output\n'.repeat(1000) + 'unfinished');
    const items = parser.push('stdout', chunk);
    assert.deepEqual(
      items.map((item) => item.kind),
      ['plain'],
    );
    const first = items[0];
    assert.ok(first?.kind === 'plain');
    assert.equal(first.bytes.buffer, chunk.buffer, 'a view of the chunk, not a copy');
    assert.equal(parser.partialLine(), 'unfinished');
  });
});
