import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { jsonPieces } from '../../src/store/jsonPieces';
import { drive, lastState, newRun } from '../helpers/coreRun';

describe('jsonPieces', () => {
  it('joins to exactly the text of JSON.stringify, for any JSON-like value', () => {
    fc.assert(
      fc.property(fc.anything({ withObjectString: true, withNullPrototype: true }), (value) => {
        // A value JSON leaves out whole (undefined) is no checkpoint.
        fc.pre(JSON.stringify(value) !== undefined);
        assert.equal([...jsonPieces(value, 16)].join(''), JSON.stringify(value));
      }),
      { numRuns: 300 },
    );
  });

  it('writes what JSON leaves out as JSON does, and calls toJSON once with its key', () => {
    const keys: string[] = [];
    const dated = { toJSON: (key: string) => (keys.push(key), { at: new Date(0) }) };
    const value = {
      a: undefined,
      f: () => 1,
      list: [undefined, () => 2, Symbol('s'), 1],
      big: Array.from({ length: 100 }, (_, i) => ({ i, dated, gone: undefined })),
      dated,
    };
    assert.equal([...jsonPieces(value, 8)].join(''), JSON.stringify(value));
    assert.deepEqual(keys.slice(-1), ['dated']);
    assert.equal(keys.length, 2 * 101);
  });

  it('cuts a 2,000-unit run state into pieces of about the size asked, joining to its JSON', () => {
    const yaml = 'name: M\nconcurrency: 1\nstages:\n  m: { run: "true", matrix: { n: [__] } }\n';
    const items = Array.from({ length: 2000 }, (_, i) => i).join(', ');
    const start = newRun(yaml.replace('__', items));
    const state = lastState(start, drive(start, [{ type: 'runStarted', at: 10 }]));
    const pieces = [...jsonPieces(state, 64 * 1024)];
    assert.equal(pieces.join(''), JSON.stringify(state));
    assert.ok(pieces.length > 4, `${pieces.length} pieces`);
    for (const piece of pieces.slice(0, -1)) assert.ok(piece.length < 80 * 1024, `${piece.length}`);
  });
});
