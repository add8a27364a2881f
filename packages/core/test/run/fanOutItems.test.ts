import * as assert from 'node:assert/strict';
import type { MatrixSpec } from '../../src/index';
import {
  escapeItem,
  listItems,
  matrixItems,
  shortHash,
  unitId,
  unitIds,
} from '../../src/run/fanOutItems';

function combinations(matrix: Partial<MatrixSpec>): Record<string, string>[] {
  const items = matrixItems({ axes: {}, include: [], exclude: [], ...matrix });
  return items.map((item) => {
    assert.equal(item.value, JSON.stringify(item.matrix));
    assert.equal(item.label, Object.values(item.matrix ?? {}).join(','));
    return { ...item.matrix };
  });
}

describe('run: the items and unit ids of a fan-out', () => {
  it('hashes with 32-bit FNV-1a, as 8 hex digits', () => {
    // Reference values of FNV-1a (offset basis 0x811c9dc5, prime 0x01000193).
    assert.equal(shortHash(''), '811c9dc5');
    assert.equal(shortHash('a'), 'e40c292c');
    assert.equal(shortHash('foobar'), 'bf9cf968');
    assert.equal(shortHash('k120'), '0493fd3b', 'padded to 8 digits');
  });

  it('escapes the characters a file name or the brackets cannot hold, as upper-case %XX', () => {
    assert.equal(
      escapeItem('a%b/c\\d:e[f]g\u0000h\u001fi\u007fj k~#.é'),
      'a%25b%2Fc%5Cd%3Ae%5Bf%5Dg%00h%1Fi%7Fj k~#.é',
    );
    assert.equal(escapeItem('\n'), '%0A');
  });

  it('keeps a unit id of up to 120 characters, and shortens a longer one with a hash', () => {
    const longest = unitId('s', 'x'.repeat(117));
    assert.equal(longest, `s[${'x'.repeat(117)}]`);
    const label = 'x'.repeat(118);
    const shortened = unitId('s', label);
    assert.equal(shortened, `s[${'x'.repeat(107)}~${shortHash(label)}]`);
    assert.equal(shortened.length, 119);
    // The hash is of the item as given, not as escaped.
    const slashes = '/'.repeat(60);
    assert.equal(unitId('s', slashes), `s[${'%2F'.repeat(35)}%2~${shortHash(slashes)}]`);
    // A stage id too long to leave room keeps only the hash.
    const stage = 'a'.repeat(110);
    const item = 'i'.repeat(20);
    assert.equal(unitId(stage, item), `${stage}[~${shortHash(item)}]`);
  });

  it('numbers a repeated item with its index so every unit id is unique', () => {
    const items = ['a', 'a', 'b', 'a'].map((label) => ({ label, value: label }));
    assert.deepEqual(unitIds('s', items), ['s[a]', 's[a#1]', 's[b]', 's[a#3]']);
  });

  it('makes the product of the axes in key order, without the excluded combinations', () => {
    assert.deepEqual(
      combinations({
        axes: { os: ['linux', 'mac'], node: ['18', '20'] },
        exclude: [{ node: '18' }, { os: 'mac', node: '22' }],
      }),
      [
        { os: 'linux', node: '20' },
        { os: 'mac', node: '20' },
      ],
    );
  });

  it('extends the combinations an include matches on the axes, or adds it when none matches', () => {
    assert.deepEqual(
      combinations({
        axes: { os: ['linux', 'mac'] },
        include: [{ color: 'red' }, { os: 'linux', extra: 'x' }, { extra: 'y', os: 'linux' }],
      }),
      [
        { os: 'linux', color: 'red', extra: 'y' },
        { os: 'mac', color: 'red' },
      ],
    );
    // An include matches the original values, not what an earlier include set.
    assert.deepEqual(
      combinations({
        axes: { os: ['linux'] },
        include: [{ os: 'linux', node: '20' }, { os: 'linux', node: '22' }, { os: 'win' }],
      }),
      [{ os: 'linux', node: '22' }, { os: 'win' }],
    );
  });

  it('has no combinations without axes, only the includes', () => {
    assert.deepEqual(combinations({}), []);
    assert.deepEqual(combinations({ include: [{ a: '1' }, { a: '2' }] }), [{ a: '1' }, { a: '2' }]);
    assert.deepEqual(combinations({ axes: { os: [] }, include: [{ os: 'linux' }] }), [
      { os: 'linux' },
    ]);
  });

  it('reads a dynamic list: strings as they are, anything else as JSON', () => {
    assert.deepEqual(listItems('["a",1,{"b":2},null]', 'src'), [
      { label: 'a', value: 'a' },
      { label: '1', value: '1' },
      { label: '{"b":2}', value: '{"b":2}' },
      { label: 'null', value: 'null' },
    ]);
    assert.deepEqual(listItems('[]', 'src'), []);
  });

  it('says why an output is not a list of items, quoting at most 60 characters of it', () => {
    assert.equal(
      listItems(undefined, 'stages.a.outputs.b'),
      'foreach: stages.a.outputs.b was never set',
    );
    assert.equal(listItems('{}', 'src'), 'foreach: src is JSON but not a list');
    assert.equal(
      listItems(`${'x'.repeat(60)}yz`, 'src'),
      `foreach: src is not a JSON list (it is "${'x'.repeat(60)}")`,
    );
  });
});
