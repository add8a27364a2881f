import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Masker } from '../../src/output/masker';
import type { OutputStream } from '../../src/output/stageOutput';
import { StageOutputRecorder } from './stageOutputRecorder';

const RUNS = 300;

/** Cuts `bytes` at the given offsets, as pipes do. */
function chunk(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    if (point > start) chunks.push(bytes.subarray(start, point));
    start = point;
  }
  return chunks;
}

/** Feeds `bytes` in chunks to one stream and flushes. */
function feed(bytes: Buffer, cuts: readonly number[], stream: OutputStream, options = {}) {
  const out = new StageOutputRecorder(options);
  for (const piece of chunk(bytes, cuts)) out.push(piece, stream);
  out.processor.flush();
  return out;
}

const cuts = fc.array(fc.nat({ max: 5000 }), { maxLength: 20 });
const stream = fc.constantFrom<OutputStream>('stdout', 'stderr');

/** Markers without which no progress can come out of text. */
const PROGRESS_MARKERS = ['::', '##', '\x1b]9;4;', '%|', '/'];

/** A line that looks like a command but may be broken anywhere. */
const commandLike = fc
  .tuple(
    fc.constantFrom('::', ':: ', '::', '##vso[', '##[', '##teamcity['),
    fc.constantFrom(
      'prompt',
      'PROGRESS',
      'progress',
      'group',
      'add-mask',
      'error',
      'task.setprogress',
      'x',
      '',
    ),
    fc.array(
      fc.tuple(
        fc.constantFrom(
          'id',
          'type',
          'options',
          'default',
          'timeout',
          'value',
          'total',
          'line',
          '',
        ),
        fc.string(),
      ),
      { maxLength: 4 },
    ),
    fc.constantFrom('::', ':', ']', "'", ''),
    fc.string(),
  )
  .map(([open, name, props, close, message]) => {
    const properties = props.map(([key, value]) => `${key}=${value}`).join(',');
    return `${open}${name}${properties === '' ? '' : ' ' + properties}${close}${message}`;
  });

describe('stage output fuzzing', () => {
  it('random bytes never throw, never prompt, and give progress only with a marker', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), cuts, stream, (bytes, cutPoints, where) => {
        const input = Buffer.from(bytes);
        const out = feed(input, cutPoints, where, { maxLineLength: 256 });
        assert.deepEqual(out.prompts, []);
        const text = input.toString('latin1') + input.toString('utf8');
        if (!PROGRESS_MARKERS.some((marker) => text.includes(marker))) {
          assert.deepEqual(out.progress, []);
        }
        assert.ok(out.lines.every((line) => line.text.length <= 256));
      }),
      { numRuns: RUNS },
    );
  });

  it('malformed commands never throw, and prompts come only from ::prompt lines on stdout', () => {
    fc.assert(
      fc.property(
        fc.array(commandLike, { maxLength: 20 }),
        cuts,
        stream,
        (lines, cutPoints, where) => {
          const input = Buffer.from(lines.join('\n') + '\n');
          const out = feed(input, cutPoints, where);
          const promptLines = lines.filter((line) =>
            /^::prompt[ :]/i.test(line.split('\n')[0] ?? ''),
          );
          if (where === 'stderr') assert.deepEqual(out.prompts, []);
          assert.ok(out.prompts.length <= promptLines.length);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('plain UTF-8 text comes out unchanged whatever the chunk boundaries', () => {
    const plain = fc
      .array(fc.string({ unit: 'binary', maxLength: 40 }), { maxLength: 20 })
      .map((lines) =>
        // eslint-disable-next-line no-control-regex -- ESC must go: it could start an OSC sequence
        lines.map((line) => line.replace(/[\r\n\x1b]/g, ' ').replace(/^[:#]+/, '')),
      );
    fc.assert(
      fc.property(plain, cuts, stream, (lines, cutPoints, where) => {
        const text = lines.map((line) => line + '\n').join('');
        const out = feed(Buffer.from(text, 'utf8'), cutPoints, where);
        // Lone surrogates are not valid UTF-8: they come back as U+FFFD, as the encoder wrote them.
        const expected = Buffer.from(text, 'utf8').toString('utf8').split('\n').slice(0, -1);
        assert.deepEqual(
          out.lines.filter((line) => line.kind === 'text').map((line) => line.text),
          expected,
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('a secret never appears in anything reported, whatever the chunking and line length', () => {
    const secret = fc.stringMatching(/^[A-Z0-9]{4,12}$/);
    const filler = fc.array(fc.oneof(fc.string({ maxLength: 30 }), commandLike), { maxLength: 8 });
    fc.assert(
      fc.property(
        secret,
        filler,
        cuts,
        stream,
        fc.integer({ min: 8, max: 200 }),
        (value, parts, cutPoints, where, max) => {
          const masker = new Masker();
          masker.add(value);
          const input = Buffer.from(parts.join(value) + value + '\n');
          const out = feed(input, cutPoints, where, { masker, maxLineLength: max });
          out.push(`ask ${value}?`, where);
          const reported = [
            out.everything(),
            out.processor.partialLine('stdout'),
            out.processor.partialLine('stderr'),
          ];
          for (const text of reported) assert.ok(!text.includes(value), `${value} leaked: ${text}`);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('no line of a multi-line or padded secret ever appears, whatever the chunking (independent oracle)', () => {
    // The oracle is plain `includes` on what was reported, not the masker: a
    // masker that skipped trimming or the line-by-line registration would pass
    // a comparison with itself, but not this.
    const secretLine = fc.stringMatching(/^[A-Z0-9]{4,10}$/);
    const pad = fc.constantFrom('', ' ', '  ', '\t', ' \t');
    const secret = fc.array(fc.tuple(pad, secretLine, pad), { minLength: 1, maxLength: 3 });
    const filler = fc.array(fc.oneof(fc.string({ maxLength: 30 }), commandLike), { maxLength: 6 });
    fc.assert(
      fc.property(
        secret,
        filler,
        cuts,
        stream,
        fc.integer({ min: 8, max: 200 }),
        (padded, parts, cutPoints, where, max) => {
          const value = padded.map(([before, line, after]) => before + line + after).join('\n');
          const lines = padded.map(([, line]) => line);
          const masker = new Masker();
          masker.add(value);
          // Each line alone (as output is split into lines), padded and bare, then the whole value.
          const mixed = parts.map((part, i) => part + (lines[i % lines.length] ?? '')).join(' ');
          const input = Buffer.from(
            `${mixed}\n${value}\n${padded.map((p) => p.join('')).join(' ')}\n`,
          );
          const out = feed(input, cutPoints, where, { masker, maxLineLength: max });
          out.push(`ask ${value}?`, where);
          const reported = [
            out.everything(),
            out.processor.partialLine('stdout'),
            out.processor.partialLine('stderr'),
          ];
          for (const text of reported) {
            for (const line of lines) assert.ok(!text.includes(line), `${line} leaked: ${text}`);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
