import assert from 'node:assert/strict';
import { Masker } from '../../src/output/masker';
import { LineMarkers, PlainLineFilter } from '../../src/output/plainLines';

/** A filter whose sinks record what went where, as `plain:` and `marked:` strings. */
function recordingFilter(masker = new Masker()): { filter: PlainLineFilter; seen: string[] } {
  const seen: string[] = [];
  const filter = new PlainLineFilter(new LineMarkers(masker), {
    plain: (bytes) => seen.push(`plain:${bytes.toString('latin1')}`),
    marked: (bytes) => seen.push(`marked:${bytes.toString('latin1')}`),
  });
  return { filter, seen };
}

describe('PlainLineFilter', () => {
  it('passes whole runs of ordinary lines as one piece', () => {
    const { filter, seen } = recordingFilter();
    filter.push(Buffer.from('one\ntwo\nthree\n'));
    assert.deepEqual(seen, ['plain:one\ntwo\nthree\n']);
  });

  it('sends each line with a marker, and only that line, to the per-line rules', () => {
    const { filter, seen } = recordingFilter();
    filter.push(
      Buffer.from(
        'a\n::progress value=1::x\nb\nc std::vector ##x\n##vso[task]\nbar 50%|##\nd\r\ne\n' +
          'osc \x1b]9;4;1;5\x07\nf\n',
      ),
    );
    assert.deepEqual(seen, [
      'plain:a\n',
      'marked:::progress value=1::x\n',
      'plain:b\nc std::vector ##x\n',
      'marked:##vso[task]\n',
      'marked:bar 50%|##\n',
      'marked:d\r\n',
      'plain:e\n',
      'marked:osc \x1b]9;4;1;5\x07\n',
      'plain:f\n',
    ]);
  });

  it('gives the per-line rules the rest of a line begun in an earlier chunk, and an unfinished last line', () => {
    const { filter, seen } = recordingFilter();
    filter.push(Buffer.from('first\nsec'));
    filter.push(Buffer.from('ond\nthird\nfou'));
    filter.push(Buffer.from('r'));
    filter.push(Buffer.from('th\n'));
    assert.deepEqual(seen, [
      'plain:first\n',
      'marked:sec',
      'marked:ond\n',
      'plain:third\n',
      'marked:fou',
      'marked:r',
      'marked:th\n',
    ]);
  });

  it('marks lines that hold a value to mask, including one added in the middle of a chunk', () => {
    const masker = new Masker();
    masker.add('hunter2');
    const { filter, seen } = recordingFilter(masker);
    filter.push(Buffer.from('ok\npw hunter2\nok\n::add-mask::swordfish\nsword\nswordfish!\n'));
    // Nobody handled the ::add-mask:: line here, so `swordfish` is no secret yet.
    assert.deepEqual(seen, [
      'plain:ok\n',
      'marked:pw hunter2\n',
      'plain:ok\n',
      'marked:::add-mask::swordfish\n',
      'plain:sword\nswordfish!\n',
    ]);
    // The per-line rules handle an ::add-mask:: line before the lines after it are sorted.
    const late: string[] = [];
    const handlingMasks = new PlainLineFilter(new LineMarkers(masker), {
      plain: (bytes) => late.push(`plain:${bytes.toString()}`),
      marked: (bytes) => {
        late.push(`marked:${bytes.toString()}`);
        if (bytes.toString().startsWith('::add-mask::')) masker.add('swordfish');
      },
    });
    handlingMasks.push(Buffer.from('::add-mask::swordfish\nsword\nswordfish!\nend\n'));
    assert.deepEqual(late, [
      'marked:::add-mask::swordfish\n',
      'plain:sword\n',
      'marked:swordfish!\n',
      'plain:end\n',
    ]);
  });

  it('leaves output that is not valid UTF-8 to the per-line rules', () => {
    const { filter, seen } = recordingFilter();
    filter.push(Buffer.from([0x61, 0x0a, 0xff, 0xfe, 0x0a]));
    assert.deepEqual(seen, ['marked:a\n\xff\xfe\n']);
  });
});
