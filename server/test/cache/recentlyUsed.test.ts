import * as assert from 'node:assert/strict';
import { RecentlyUsed } from '../../src/cache/recentlyUsed';

describe('RecentlyUsed: a bounded map that drops the least recently set first', () => {
  it('keeps the capacity, drops the oldest set, and tells which it dropped', () => {
    const dropped: string[] = [];
    const map = new RecentlyUsed<string, number>(2, (key) => dropped.push(key));
    map.set('a', 1);
    map.set('b', 2);
    map.set('a', 3); // a is now the most recent
    map.set('c', 4);
    assert.deepEqual([...map.keys()], ['a', 'c']);
    assert.deepEqual(dropped, ['b']);
    assert.equal(map.get('a'), 3);
    assert.equal(map.get('b'), undefined);
    assert.equal(map.delete('a'), true);
    assert.equal(map.size, 1);
    assert.deepEqual(dropped, ['b'], 'delete tells nothing');
    map.clear();
    assert.equal(map.size, 0);
  });
});
