import * as assert from 'node:assert/strict';
import {
  closestMatch,
  didYouMean,
  didYouMeanFix,
  editDistance,
  fixOf,
} from '../../src/pipeline/suggest';

describe('suggestions', () => {
  it('counts edits, with a swap of neighbours as one', () => {
    assert.equal(editDistance('build', 'build'), 0);
    assert.equal(editDistance('biuld', 'build'), 1);
    assert.equal(editDistance('timeout', 'tiemout'), 1);
    assert.equal(editDistance('retry', 'retries'), 3);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('kitten', 'sitting'), 3);
  });

  it('gives up beyond the limit', () => {
    assert.equal(editDistance('a', 'completely different', 3), 4);
    assert.equal(editDistance('abcdef', 'uvwxyz', 2), 3);
  });

  it('suggests spelling variants first, then the nearest close word', () => {
    assert.equal(closestMatch('idleTimeout', ['timeout', 'idle_timeout']), 'idle_timeout');
    assert.equal(closestMatch('CONTINUE-ON-ERROR', ['continue_on_error']), 'continue_on_error');
    assert.equal(closestMatch('stagse', ['name', 'stages']), 'stages');
    assert.equal(closestMatch('zzz', ['name', 'stages']), undefined);
    assert.equal(closestMatch('x', []), undefined);
  });

  it('phrases the suggestion ready to append', () => {
    assert.equal(didYouMean('fetsh', ['fetch', 'report']), ' Did you mean "fetch"?');
    assert.equal(didYouMean('qqqq', ['fetch']), '');
  });

  it('allows about a third of the word in edits, at least one, the first of equals winning', () => {
    assert.equal(closestMatch('ab', ['xb']), 'xb');
    assert.equal(closestMatch('abcde', ['abxye']), undefined);
    assert.equal(closestMatch('abcdef', ['abxyef']), 'abxyef');
    assert.equal(closestMatch('abcdef', ['axyzef']), undefined);
    assert.equal(closestMatch('cat', ['bat', 'cut']), 'bat');
    assert.equal(closestMatch('cat', ['cxx', 'cut', 'bat']), 'cut');
    assert.equal(closestMatch('Run', ['rum', 'run']), 'run');
  });

  it('swaps neighbours anywhere in the word, and counts from the limit given', () => {
    assert.equal(editDistance('ab', 'ba'), 1);
    assert.equal(editDistance('xab', 'xba'), 1);
    assert.equal(editDistance('abcd', 'badc'), 2);
    assert.equal(editDistance('abc', 'abcdefghijk'), 8);
    assert.equal(editDistance('abc', 'abcdefghijkl'), 9);
    assert.equal(editDistance('abc', 'abcdefg', 4), 4);
    assert.equal(editDistance('abc', 'abcdefgh', 4), 5);
  });

  it('offers the fix that matches the suggestion, or none', () => {
    assert.deepEqual(fixOf('rn', 'run'), { find: 'rn', replaceWith: 'run' });
    assert.equal(fixOf('rn', undefined), undefined);
    assert.deepEqual(didYouMeanFix('fetsh', ['fetch']), { find: 'fetsh', replaceWith: 'fetch' });
    assert.equal(didYouMeanFix('qqqq', ['fetch']), undefined);
  });
});
